#!/usr/bin/env bash
# Lint, then run every test of website_wallet with pytest-odoo on a throw-away
# database, then the served-demo checks against the run command's server.
# Extra arguments go to pytest (e.g. -k ledger).
source "$(dirname "$0")/lib.sh"
setup_all

say "lint"
"$ROOT/scripts/lint.sh"

DB="wallet_test_$(date +%s)_$$"
# Modules the tests need besides the addon's own dependencies.
MODULES="website_wallet,payment_demo"
SERVED_DB="${DB}_served"
cleanup() {
    for db in "$DB" "${DB}_uninstall" "$SERVED_DB"; do odoo_dropdb "$db"; done
    for db in "$DB" "${DB}_uninstall" "$SERVED_DB"; do rm -rf "$STATE/filestore/filestore/$db"; done
    rm -f "$(db_stamp "$SERVED_DB")" "$STATE/odoo-init-uninstall.out"
}
odoo_dropdb() { psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 || true; }
trap cleanup EXIT

# The test database and, for the uninstall check (tests_served/test_uninstall.py),
# a fresh database with only website_wallet and no demo data: built side by side.
say "creating test database '$DB' and uninstall-check database '${DB}_uninstall'"
odoo_init -d "${DB}_uninstall" -i website_wallet --without-demo=all \
    > "$STATE/odoo-init-uninstall.out" 2>&1 &
uninstall_db=$!
odoo_init -d "$DB" -i "$MODULES"
if ! wait "$uninstall_db"; then
    cat "$STATE/odoo-init-uninstall.out" >&2
    die "creating the uninstall-check database failed"
fi
export WALLET_UNINSTALL_DB="${DB}_uninstall"

# The served checks run the run command on their own copy of the fresh test
# database, never on the user's demo database.
say "copying it for the served checks: '$SERVED_DB'"
if ! "$PY" "$ODOO_SRC/setup/odoo" db -c "$ODOO_CONFIG" duplicate "$DB" "$SERVED_DB" \
    > "$STATE/odoo-db-duplicate.out" 2>&1; then
    cat "$STATE/odoo-db-duplicate.out" >&2
    die "copying the test database failed"
fi
mark_db_current "$SERVED_DB"
export WALLET_SERVED_DB="$SERVED_DB"

say "translations"
WALLET_POT_DB="$DB" "$ROOT/scripts/pot.sh" --check

say "pytest"
# Run from the project root, never from an Odoo addons folder: Odoo's
# 'calendar' addon would shadow the standard library's calendar module.
cd "$ROOT"
set +e
"$PY" -m pytest --odoo-database="$DB" --odoo-config="$ODOO_CONFIG" --odoo-http \
    --odoo-log-level=warn "$@" website_wallet/tests tests_served
status=$?
set -e
if [ "$status" -eq 0 ] && [ "$#" -eq 0 ]; then
    # make bench, small: every figure is measured, on the served checks' copy.
    say "benchmark smoke run"
    WALLET_BENCH_DB="$SERVED_DB" "$ROOT/scripts/bench.sh" --smoke || status=$?
fi
exit "$status"
