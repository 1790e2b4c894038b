# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, models
from odoo.exceptions import UserError


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def _compute_amount_available_for_refund(self):
        """A top-up gives back no more than the wallet still holds of it: money
        already spent from the wallet cannot go back to the card as well."""
        result = super()._compute_amount_available_for_refund()
        for payment in self.filtered("amount_available_for_refund"):
            transaction = payment.payment_transaction_id.sudo()
            if transaction._wallet_topup_source():
                available = transaction.partner_id.with_company(payment.company_id).wallet_balance
                payment.amount_available_for_refund = max(
                    0.0, min(payment.amount_available_for_refund, available)
                )
        return result

    def action_post(self):
        """A payment registered by hand in a Wallet journal moves wallet money
        (Register Payment on a credit note refunds it to the wallet, on an
        invoice pays it from the wallet): the ledger posts it, under the
        wallet's lock and with its checks.  The ledger itself posts as
        superuser."""
        by_hand = self.browse()
        if not self.env.su:
            by_hand = self.filtered(
                lambda payment: payment.journal_id == payment.company_id.sudo().wallet_journal_id
            )
        for payment in by_hand:
            payment._wallet_post_through_ledger()
        return super(AccountPayment, self - by_hand).action_post()

    def _wallet_post_through_ledger(self):
        self.ensure_one()
        if (
            self.partner_type != "customer"
            or not self.partner_id
            or self.currency_id != self.company_id.currency_id
        ):
            raise UserError(
                _(
                    "The Wallet journal takes customer payments in %(currency)s only.",
                    currency=self.company_id.currency_id.name,
                )
            )
        Ledger = self.env["wallet.transaction"].sudo()
        document = self.invoice_ids[:1]
        values = {
            "company": self.company_id,
            "account_payment_id": self.id,
            "invoice_id": document.id,
            "description": document.name or self.memo,
        }
        if self.payment_type == "outbound":
            Ledger._credit(self.partner_id, self.amount, kind="refund", **values)
        else:
            Ledger._debit(self.partner_id, self.amount, kind="payment", **values)
