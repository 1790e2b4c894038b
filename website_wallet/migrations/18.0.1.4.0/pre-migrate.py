# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.4.0: two funds in every wallet, cash and promotional credit.

Everything a wallet held before is cash: the promotional balances and every
entry's promotional part start at zero, so the new constraints hold at once.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        ALTER TABLE wallet_balance
            ADD COLUMN IF NOT EXISTS promo_balance numeric NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS promo_held numeric NOT NULL DEFAULT 0
        """
    )
    cr.execute(
        """
        ALTER TABLE wallet_transaction
            ADD COLUMN IF NOT EXISTS promo_amount numeric NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS fund varchar NOT NULL DEFAULT 'cash'
        """
    )
