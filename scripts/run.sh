#!/usr/bin/env bash
# Serve Odoo 18 with website_wallet on a demo database (see README).
# Environment: WALLET_DB (default wallet), WALLET_PORT (default 8069), ODOO_SRC.
source "$(dirname "$0")/lib.sh"
setup_all

DB="${WALLET_DB:-wallet}"
PORT="${WALLET_PORT:-8069}"
# The demo provider, besides the addon (which brings Stripe and wire transfer),
# lets a new user pay without any account anywhere.
MODULES="website_wallet,payment_demo"

stamp="$(db_stamp "$DB")"
if ! db_exists "$DB"; then
    say "creating database '$DB' with demo data (a few minutes, once)"
    rm -f "$stamp"
    odoo_init -d "$DB" -i "$MODULES"
    mark_db_current "$DB"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$(addon_digest)" ]; then
    say "website_wallet changed: updating database '$DB'"
    odoo_init -d "$DB" -u website_wallet
    mark_db_current "$DB"
fi

printf '\n  Odoo is served at http://localhost:%s  (database %s)\n' "$PORT" "$DB" >&2
printf '    administrator:  admin / admin\n' >&2
printf '    portal shopper: shopper / shopper  (has a wallet)\n\n' >&2
exec "$PY" "$ODOO_SRC/setup/odoo" -c "$ODOO_CONFIG" -d "$DB" --db-filter="^$DB\$" \
    --http-port "$PORT" --gevent-port "$((PORT + 3))" --log-level=info
