#!/usr/bin/env bash
# Odoo's own tests of the modules the wallet builds on, run on a database with
# website_wallet and on one without it, then compared: any test whose outcome
# differs is listed, and a test that passes without the addon but not with it
# fails this command.
#
# Each run loads every installed module's models first (pytest-odoo loads the
# database's whole registry), so the addon's overrides are in place.  A plain
# --test-tags run at install would test each module before the modules that
# depend on it, such as this addon, are loaded, and would never exercise them.
#
# Not part of make test: it runs some 500 tests twice (about an hour on two
# cores).  Extra arguments go to pytest (e.g. -k refund).
source "$(dirname "$0")/lib.sh"
setup_all

CORE_TESTS=(payment account_payment payment_demo payment_custom payment_stripe sale website_sale website_payment portal)
BASE_MODULES="website_sale,account_payment,payment_custom,payment_stripe,payment_demo"
STAMP="$(date +%s)_$$"
WITH="wallet_core_with_$STAMP"
WITHOUT="wallet_core_without_$STAMP"
REPORTS="$STATE/core-tests"
cleanup() {
    for db in "$WITH" "$WITHOUT"; do
        psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
        rm -rf "$STATE/filestore/filestore/$db"
    done
}
trap cleanup EXIT
mkdir -p "$REPORTS"

say "creating '$WITH' (with website_wallet) and '$WITHOUT' (without)"
odoo_init -d "$WITHOUT" -i "$BASE_MODULES" > "$REPORTS/init-without.log" 2>&1 &
without_init=$!
odoo_init -d "$WITH" -i "$BASE_MODULES,website_wallet"
wait "$without_init" || { cat "$REPORTS/init-without.log" >&2; die "creating '$WITHOUT' failed"; }

paths=()
for module in "${CORE_TESTS[@]}"; do paths+=("$ODOO_SRC/odoo/addons/$module/tests"); done

run_core_tests() {  # database, report name
    "$PY" -m pytest --odoo-database="$1" --odoo-config="$ODOO_CONFIG" --odoo-http \
        --odoo-log-level=error -q --junitxml="$REPORTS/$2.xml" \
        -o junit_family=xunit1 "${@:3}" "${paths[@]}" > "$REPORTS/$2.log" 2>&1 || true
}

cd "$ROOT"
say "running Odoo's tests of ${CORE_TESTS[*]} on both (logs in $REPORTS)"
run_core_tests "$WITHOUT" without "$@" &
without_run=$!
run_core_tests "$WITH" with "$@"
wait "$without_run"
"$PY" "$ROOT/scripts/compare_test_reports.py" "$REPORTS/without.xml" "$REPORTS/with.xml"
