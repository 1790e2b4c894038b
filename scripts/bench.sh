#!/usr/bin/env bash
# make bench: every performance figure of the wallet next to its anchor (core
# Odoo doing the same job, or the physical floor), measured in one run on one
# throw-away database, printed as one table.
#   1. in one Odoo process (scripts/bench_ledger.py): balance and history reads
#      against the history length, a debit against a core payment and a bare
#      SQL update;
#   2. over HTTP against a real multi-worker server (scripts/bench_http.py):
#      checkouts and invoice payments end to end, many shoppers at once, a hot
#      wallet, and the queries of the payment step.
# --smoke: small sizes, for make test (a check that it runs, not figures).
# WALLET_BENCH_DB: an existing database to use (and keep) instead.
source "$(dirname "$0")/lib.sh"
setup_all

if [ "${1:-}" = "--smoke" ]; then
    sizes="10,100" runs=1 lots=200 customers=1 rounds=1 workers=2
else
    sizes="100,1000000" runs=15 lots=100000 customers=8 rounds=7 workers=4
fi
PORT="${WALLET_BENCH_PORT:-8099}"
DB="${WALLET_BENCH_DB:-}"
log="$STATE/bench-server.log"
rm -f "$log"
cleanup() {
    [ -n "${server:-}" ] && kill -- -"$server" 2>/dev/null && wait "$server" 2>/dev/null
    if [ -n "${own_db:-}" ]; then
        psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1
        rm -rf "$STATE/filestore/filestore/$DB"
    fi
    return 0
}
trap cleanup EXIT
if [ -z "$DB" ]; then
    DB="wallet_bench_$$" own_db=1
    say "creating the benchmark database '$DB'"
    odoo_init -d "$DB" -i website_wallet,payment_demo --without-demo=all
fi

rows="$(mktemp)"
say "in one process: reads, a debit, a core payment, a bare update"
WALLET_BENCH_SIZES="$sizes" WALLET_BENCH_RUNS="$runs" WALLET_BENCH_LOTS="$lots" \
    "$PY" "$ODOO_SRC/setup/odoo" shell -c "$ODOO_CONFIG" -d "$DB" --no-http --log-level=warn \
    < "$ROOT/scripts/bench_ledger.py" > "$STATE/bench-ledger.out" 2>&1
grep -q Traceback "$STATE/bench-ledger.out" && { cat "$STATE/bench-ledger.out" >&2; die "bench_ledger.py failed"; }
grep '^ROW|' "$STATE/bench-ledger.out" >> "$rows"

say "over HTTP: a server with $workers workers on port $PORT"
setsid "$PY" "$ODOO_SRC/setup/odoo" -c "$ODOO_CONFIG" -d "$DB" --db-filter="^$DB\$" \
    --http-port "$PORT" --gevent-port "$((PORT + 1))" --workers "$workers" \
    --max-cron-threads 0 --limit-time-real 600 --log-level=info --logfile "$log" &
server=$!
for _ in $(seq 300); do
    curl -sf -o /dev/null "http://localhost:$PORT/web/login" && break
    sleep 1
done
"$PY" "$ROOT/scripts/bench_http.py" "http://localhost:$PORT" "$DB" "$log" \
    "$customers" "$rounds" "$workers" > "$STATE/bench-http.out" || { cat "$STATE/bench-http.out" >&2; die "bench_http.py failed"; }
grep '^ROW|' "$STATE/bench-http.out" >> "$rows"

printf '\n%s\n' "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(lscpu | sed -n 's/^Model name: *//p'), PostgreSQL $(psql -tAc 'SHOW server_version' -d postgres)"
"$PY" - "$rows" <<'EOF'
import sys

rows = [line.rstrip("\n").split("|")[1:] for line in open(sys.argv[1])]
header = ("figure", "wallet", "anchor", "ratio")
widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
for index, cells in enumerate([header, *rows]):
    print(" | ".join(cell.ljust(width) for cell, width in zip(cells, widths)))
    if not index:
        print("-|-".join("-" * width for width in widths))
failed = [cells[0] for cells in rows if cells[-1] == "FAILED"]
sys.exit(f"failed: {', '.join(failed)}" if failed else 0)
EOF
