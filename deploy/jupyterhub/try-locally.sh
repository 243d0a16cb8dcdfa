#!/usr/bin/env bash
# A throwaway JupyterHub on 127.0.0.1:PORT over the demo network, for trying the hub set-up.
#
#   deploy/jupyterhub/try-locally.sh 8000
#
# Sign in at http://127.0.0.1:PORT/hub/login with one of the printed emails (any password).
# Everything (the hub's database and cookie secret, the demo network, each user's home
# folder) lives in a temporary folder that is removed on exit. Ctrl-C or SIGTERM stops the
# hub, its proxy and every single-user server. Needs the kit with its `hub` extra
# (pip install -e '.[hub]') and configurable-http-proxy (npm install -g configurable-http-proxy).
set -euo pipefail

if [ $# -ne 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 PORT" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${ILC_PYTHON:-}"
if [ -z "$python" ]; then
  if [ -x "$root/.venv/bin/python" ]; then python="$root/.venv/bin/python"; else python=python3; fi
fi
if ! "$python" -c "import jupyterhub, ilc_widgets" 2>/dev/null; then
  echo "JupyterHub or the kit is missing for $python: pip install -e '.[hub]'" >&2
  exit 1
fi
if ! command -v configurable-http-proxy >/dev/null 2>&1; then
  echo "configurable-http-proxy is missing: npm install -g configurable-http-proxy" >&2
  exit 1
fi

tmp="$(mktemp -d -t ilc-hub-XXXXXX)"
chmod 755 "$tmp"
hub_pid=""

descendants() {
  # Every process below $1 (children first found, then theirs), from /proc.
  local pid child
  for pid in "$@"; do
    for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do
      echo "$child"
      descendants "$child"
    done
  done
}

stop_all() {
  trap - INT TERM EXIT
  if [ -n "$hub_pid" ] && kill -0 "$hub_pid" 2>/dev/null; then
    local tree
    tree="$(descendants "$hub_pid" | tr '\n' ' ')"
    # The hub stops the single-user servers and its proxy on SIGTERM (cleanup_servers).
    kill -TERM "$hub_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$hub_pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$hub_pid" 2>/dev/null || true
    # Whatever it left behind (a server still starting, a kernel): TERM, then KILL.
    local pid alive=""
    for pid in $tree; do kill -0 "$pid" 2>/dev/null && alive="$alive $pid"; done
    if [ -n "$alive" ]; then
      kill -TERM $alive 2>/dev/null || true
      sleep 2
      kill -KILL $alive 2>/dev/null || true
    fi
  fi
  rm -rf "$tmp"
  echo "Stopped the hub." >&2
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

export ILC_DATABASE_URL="sqlite:///$tmp/network.sqlite"
"$python" -m ilc_widgets.cli --database "$ILC_DATABASE_URL" demo >"$tmp/demo.log" 2>&1 || {
  cat "$tmp/demo.log" >&2
  exit 1
}

# The test users: a member of a collective, a registered participant in no collective,
# and a network facilitator (added to the network's `facilitators` setting).
"$python" - <<'EOF'
import os

from ilc_widgets.network import open_network

net = open_network(os.environ["ILC_DATABASE_URL"])
people = net.participants.sort_values("participant_id")
in_collective = people["collective"].fillna("") != ""
member = people[in_collective].iloc[0]["email"]
non_member = people[~in_collective].iloc[0]["email"]
facilitator = net.collective_list()[0].facilitator_email
net.update_settings(actor="try-locally.sh", facilitators=[facilitator])
print(f"member: {member}")
print(f"non-member: {non_member}")
print(f"facilitator: {facilitator}")
print("outsider: visitor@outside.example")
net.close()
EOF
echo "network: $ILC_DATABASE_URL"

export ILC_HUB_TMP="$tmp" ILC_HUB_PORT="$1"
ILC_HUB_API_PORT="$(free_port)"
ILC_HUB_PROXY_API_PORT="$(free_port)"
export ILC_HUB_API_PORT ILC_HUB_PROXY_API_PORT
(cd "$tmp" && exec "$python" -m jupyterhub -f "$here/try_locally_config.py") \
  >"$tmp/hub.log" 2>&1 &
hub_pid=$!

for _ in $(seq 1 240); do
  if ! kill -0 "$hub_pid" 2>/dev/null; then
    echo "The hub stopped while starting:" >&2
    tail -n 30 "$tmp/hub.log" >&2
    hub_pid=""
    exit 1
  fi
  if "$python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
    "http://127.0.0.1:$1/hub/api" 2>/dev/null; then
    break
  fi
  sleep 0.5
done
echo "hub: http://127.0.0.1:$1/hub/login (sign in with an email above, any password; Ctrl-C stops)"
echo "log: $tmp/hub.log"
wait "$hub_pid" || true
