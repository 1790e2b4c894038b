#!/usr/bin/env bash
# The money fuzzer, longer than in make test and with a random seed, on a
# throw-away database.  The seed is printed, with the failing steps if any:
# WALLET_FUZZ_SEED=<seed> make fuzz runs the same story again.
#   WALLET_FUZZ_SEED      default: a random one
#   WALLET_FUZZ_EXAMPLES  stories to tell (default 40)
#   WALLET_FUZZ_STEPS     steps per story (default 40)
#   WALLET_FUZZ_SHRINK=1  shrink a failure to its fewest steps (slow)
source "$(dirname "$0")/lib.sh"
setup_all

DB="wallet_fuzz_$(date +%s)_$$"
cleanup() {
    psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$STATE/filestore/filestore/$DB"
}
trap cleanup EXIT

say "creating fuzz database '$DB'"
odoo_init -d "$DB" -i website_wallet,payment_demo

export WALLET_FUZZ_SEED="${WALLET_FUZZ_SEED:-$(shuf -i 1-4294967295 -n 1)}"
export WALLET_FUZZ_EXAMPLES="${WALLET_FUZZ_EXAMPLES:-40}"
export WALLET_FUZZ_STEPS="${WALLET_FUZZ_STEPS:-40}"
say "money fuzzer: seed $WALLET_FUZZ_SEED, $WALLET_FUZZ_EXAMPLES stories of $WALLET_FUZZ_STEPS steps"
cd "$ROOT"
"$PY" -m pytest --odoo-database="$DB" --odoo-config="$ODOO_CONFIG" --odoo-http \
    --odoo-log-level=warn -s "$@" website_wallet/tests/test_money_fuzzer.py
