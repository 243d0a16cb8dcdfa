#!/usr/bin/env bash
# Set up the kit with its test tools in .venv and run the whole test suite.
# Installs Chromium, PostgreSQL and nginx (Debian packages) and configurable-http-proxy
# (npm) when they are missing, because the browser, PostgreSQL, JupyterHub and replica tests
# are part of the suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_setup.sh test

missing=()
[ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1 ||
  missing+=(postgresql)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
if ! command -v configurable-http-proxy >/dev/null 2>&1 && ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages for the browser, database and proxy tests: ${missing[*]}" >&2
  apt_install "${missing[@]}"
fi
if ! command -v configurable-http-proxy >/dev/null 2>&1; then
  echo "Installing configurable-http-proxy (npm) for the JupyterHub tests" >&2
  as_root npm install --global --silent configurable-http-proxy >/dev/null
fi

export ILC_REQUIRE_SERVICES=1
unset ILC_DATABASE_URL
exec .venv/bin/python -m pytest "$@"
