#!/usr/bin/env bash
# Set up the kit in .venv, load the demo network and serve it with Voilà.
# Extra arguments go to `ilc serve` (e.g. --port 8900 --no-browser).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_setup.sh ""
export ILC_DATABASE_URL="${ILC_DATABASE_URL:-$PWD/demo-network.sqlite}"
.venv/bin/ilc demo
exec .venv/bin/ilc serve "$@"
