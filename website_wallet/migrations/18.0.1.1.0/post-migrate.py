# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: top-up payment transactions are flagged as such; wallet payments
are booked through the wallet provider's journal, which must be the Wallet journal
with its method lines on the Customer Wallet account."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"].search([])._wallet_setup_accounting()
    # The wallet refunds its payments to itself (payment methods are noupdate data).
    env.ref("website_wallet.payment_method_wallet").support_refund = "partial"
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
