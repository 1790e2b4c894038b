# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    def _init_payments(self, to_process, edit_mode=False):
        """Override of `account`: a payment of the Wallet journal names the
        documents it pays or refunds before it is posted, when the wallet
        ledger checks and books it (a refund to the wallet gives back the
        credit note it settles, and no more than is left of it)."""
        payments = super()._init_payments(to_process, edit_mode=edit_mode)
        for values in to_process:
            payment = values["payment"]
            if payment.journal_id == payment.company_id.sudo().wallet_journal_id:
                payment.invoice_ids = values["to_reconcile"].move_id
        return payments
