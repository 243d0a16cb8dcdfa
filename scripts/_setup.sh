# Shared by demo.sh and test.sh: a virtual environment in .venv with the kit installed.
# Usage: source scripts/_setup.sh EXTRAS   (EXTRAS: "" or "test")
set -euo pipefail

_python=""
for candidate in python3.13 python3.12 python3.11 python3.10 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    _python=$candidate
    break
  fi
done
if [ -z "$_python" ]; then
  echo "The ILC Workbook Kit needs Python 3.10 or newer (python3 not found or too old)." >&2
  exit 1
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "Please run as root or install: ${*: -1}" >&2; return 1; fi
}

apt_install() {
  # Install Debian/Ubuntu packages that are missing; elsewhere say what is needed.
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Please install these system packages: $*" >&2
    return 1
  fi
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x .venv/bin/python ]; then
  if ! "$_python" -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    apt_install python3-venv
    "$_python" -m venv .venv
  fi
fi
.venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored" || true
if [ -n "${1:-}" ]; then
  .venv/bin/python -m pip install --quiet -e ".[$1]" 2>&1 | grep -v "is ignored" || true
else
  .venv/bin/python -m pip install --quiet -e . 2>&1 | grep -v "is ignored" || true
fi
.venv/bin/python -c "import ilc_widgets" # fail here, clearly, if the install did not work
