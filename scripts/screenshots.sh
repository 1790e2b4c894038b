#!/usr/bin/env bash
# Refresh the README's screenshots (website_wallet/static/description/) from a
# fresh demo database served by the run command.  Not part of the tests.
source "$(dirname "$0")/lib.sh"
setup_all
docs="$ROOT/.venv-docs"
[ -x "$docs/bin/python" ] || python3 -m venv "$docs"
PY="$docs/bin/python" quiet_pip install -r "$ROOT/requirements-docs.txt"

DB="wallet_screens_$$"
PORT=8089
cleanup() {
    [ -n "${server:-}" ] && kill -- -"$server" 2>/dev/null
    sleep 2
    psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1
}
trap cleanup EXIT
setsid env WALLET_DB="$DB" WALLET_PORT="$PORT" "$ROOT/scripts/run.sh" > "$STATE/screenshots-server.log" 2>&1 &
server=$!
for _ in $(seq 600); do
    curl -sf -o /dev/null "http://localhost:$PORT/web/login" && break
    sleep 2
done
"$docs/bin/python" "$ROOT/scripts/screenshots.py" "http://localhost:$PORT" "$DB"
