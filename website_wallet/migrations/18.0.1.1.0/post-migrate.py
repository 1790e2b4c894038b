# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: top-up payment transactions are flagged as such."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE payment_transaction tx
           SET is_wallet_topup = TRUE
          FROM wallet_transaction entry
         WHERE entry.payment_transaction_id = tx.id
           AND entry.kind = 'topup'
           AND entry.direction = 'credit'
        """
    )
