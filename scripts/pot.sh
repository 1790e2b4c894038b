#!/usr/bin/env bash
# Regenerate website_wallet/i18n/website_wallet.pot from the code (make pot),
# or, with --check, fail when the committed file is stale (the test command).
# WALLET_POT_DB names a database with website_wallet installed; without it a
# throw-away one is created.
source "$(dirname "$0")/lib.sh"
setup_all

POT="$ROOT/website_wallet/i18n/website_wallet.pot"
DB="${WALLET_POT_DB:-}"
if [ -z "$DB" ]; then
    DB="wallet_pot_$$"
    trap 'psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1' EXIT
    odoo_init -d "$DB" -i website_wallet,payment_demo
fi
fresh="$(mktemp -d)/website_wallet.pot"
odoo -d "$DB" --i18n-export="$fresh" --modules=website_wallet --stop-after-init --log-level=warn
# The header's dates change at every export; everything else must match.
normalize() { grep -vE '^"(POT-Creation-Date|PO-Revision-Date): ' "$1"; }
if [ "${1:-}" = "--check" ]; then
    if ! diff -u <(normalize "$POT" 2>/dev/null) <(normalize "$fresh") > "$fresh.diff"; then
        head -n 40 "$fresh.diff" >&2
        die "website_wallet/i18n/website_wallet.pot is stale: run 'make pot' and commit it"
    fi
    say "website_wallet.pot is up to date"
else
    mkdir -p "$(dirname "$POT")"
    cp "$fresh" "$POT"
    say "wrote $POT"
fi
