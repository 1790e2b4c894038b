# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, models
from odoo.exceptions import UserError

from ..const import PROVIDER_CODE


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "wallet.split.mixin"]

    def _wallet_amount_due(self):
        paid = sum(
            tx.amount
            for tx in self.sudo().transaction_ids
            if tx.state in ("authorized", "done") and tx.operation != "refund"
        )
        return self.amount_total - paid

    def _cart_update(self, *args, **kwargs):
        """A changed cart releases the wallet part held for it: the split is
        computed again with the new total."""
        result = super()._cart_update(*args, **kwargs)
        self._wallet_release_holds()
        return result

    def _action_cancel(self):
        """A cancelled order gives back what it was paid: its wallet payments
        return to the wallet, and, where the website says so, its card
        payments become wallet credit instead of waiting for a refund by hand.
        An invoiced order is corrected with a credit note instead."""
        for order in self:
            order._wallet_give_back_payments()
        return super()._action_cancel()

    def _wallet_give_back_payments(self):
        self.ensure_one()
        paid = self.sudo().transaction_ids.filtered(
            lambda tx: tx.state == "done" and tx.operation != "refund" and tx.payment_id
        )
        by_wallet = paid.filtered(lambda tx: tx.provider_code == PROVIDER_CODE)
        by_card = paid - by_wallet if self.website_id.wallet_refund_cancelled_orders else paid[:0]
        if not (by_wallet or by_card):
            return
        if self.invoice_ids.filtered(lambda invoice: invoice.state == "posted"):
            raise UserError(
                _(
                    "%(order)s is invoiced: issue a credit note for its invoice and refund it"
                    " to the wallet (Refund to Wallet) instead of cancelling the order.",
                    order=self.name,
                )
            )
        for transaction in by_wallet:
            if refundable := transaction.payment_id.amount_available_for_refund:
                transaction._send_refund_request(amount_to_refund=refundable)
        for payment in by_card.payment_id:
            self._wallet_credit_card_payment(payment)

    def _wallet_credit_card_payment(self, payment):
        """Turn what a card payment of this order left on the customer's account
        into wallet credit, matched with that payment on the receivable."""
        open_lines = payment.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )
        amount = -sum(open_lines.mapped("amount_residual"))
        if self.currency_id.compare_amounts(amount, 0.0) <= 0:
            return
        Ledger = self.env["wallet.transaction"].sudo()
        entry = Ledger._credit(
            self.partner_id,
            amount,
            kind="refund",
            company=self.company_id,
            sale_order_id=self.id,
            description=_(
                "Refund of %(order)s (cancelled), paid by %(provider)s",
                order=self.name,
                provider=payment.payment_transaction_id.provider_id.name,
            ),
        )
        Ledger._reconcile_receivables(entry.account_payment_id | payment)
