#!/usr/bin/env bash
# Set up the kit with its test tools in .venv and run the whole test suite.
# Installs Chromium and PostgreSQL (Debian packages) when they are missing, because the
# browser and PostgreSQL tests are part of the suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_setup.sh test

missing=()
[ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1 ||
  missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages for the browser and database tests: ${missing[*]}" >&2
  apt_install "${missing[@]}"
fi

export ILC_REQUIRE_SERVICES=1
unset ILC_DATABASE_URL
exec .venv/bin/python -m pytest "$@"
