#!/usr/bin/env bash
# Ledger benchmark (scripts/bench_ledger.py) on its own database, created once
# without demo data.  Not a test: it prints a table.
source "$(dirname "$0")/lib.sh"
setup_all
DB="${WALLET_BENCH_DB:-wallet_bench}"
db_exists "$DB" || odoo_init -d "$DB" -i website_wallet --without-demo=all
odoo_init -d "$DB" -u website_wallet
"$PY" "$ODOO_SRC/setup/odoo" shell -c "$ODOO_CONFIG" -d "$DB" --no-http --log-level=warn \
    < "$ROOT/scripts/bench_ledger.py"
