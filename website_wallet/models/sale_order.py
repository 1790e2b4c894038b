# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, models
from odoo.exceptions import UserError

from ..const import PROVIDER_CODE


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "wallet.document.mixin"]

    def _wallet_amounts_due(self):
        """The order's total less what other transactions paid or authorised,
        or the prepayment its portal page asks for."""
        self.ensure_one()
        currency = self.currency_id
        paid = sum(
            tx.amount
            for tx in self.sudo().transaction_ids
            if tx.state in ("authorized", "done") and tx.operation != "refund"
        )
        due = currency.round(self.amount_total - paid)
        amounts = [due]
        if self.state in ("draft", "sent") and self.require_payment:
            prepayment = currency.round(self._get_prepayment_required_amount() - paid)
            if 0 < prepayment < due:
                amounts.append(prepayment)
        return amounts

    def _wallet_payable_refusal(self):
        self.ensure_one()
        if self.state == "cancel":
            return "cancelled"
        if self.currency_id.compare_amounts(self._wallet_amounts_due()[0], 0.0) <= 0:
            return "paid"
        return None

    def _cart_update(self, *args, **kwargs):
        """Override of `website_sale`: a changed cart releases the wallet part
        held for it: the split is
        computed again with the new total."""
        result = super()._cart_update(*args, **kwargs)
        self._wallet_release_holds()
        return result

    def _action_cancel(self):
        """Override of `sale`: a cancelled order gives back what it was paid
        and not given back yet: its wallet payments return to the wallet, and, where the website
        says so, its card payments become wallet credit instead of waiting
        for a refund by hand.  Each payment goes back to its payer's wallet,
        once: a payment refunded to its card, reversed, or given back by an
        earlier cancellation has nothing left (``wallet.origin``).  An
        invoiced order is corrected with a credit note instead."""
        for order in self:
            order._wallet_give_back_payments()
        result = super()._action_cancel()
        self._wallet_settle_cashback()
        return result

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
        Origin = self.env["wallet.origin"]
        for transaction in by_wallet:
            if left := Origin._lock_and_left(transaction):
                transaction._send_refund_request(amount_to_refund=left)
        for transaction in by_card:
            self._wallet_credit_card_payment(transaction)

    def _wallet_credit_card_payment(self, transaction):
        """Turn what a card payment of this order left on its payer's account
        into credit in the payer's wallet, matched with that payment on the
        receivable; never more than is left to give back of the payment."""
        payment = transaction.payment_id
        open_lines = payment.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )
        left = self.env["wallet.origin"]._lock_and_left(transaction)
        amount = min(-sum(open_lines.mapped("amount_residual")), left)
        if self.currency_id.compare_amounts(amount, 0.0) <= 0:
            return
        Ledger = self.env["wallet.transaction"].sudo()
        entry = Ledger._credit(
            transaction.partner_id,
            self.currency_id.round(amount),
            kind="refund",
            company=self.company_id,
            sale_order_id=self.id,
            origin_transaction_id=transaction.id,
            description=_(
                "Refund of %(order)s (cancelled), paid by %(provider)s",
                order=self.name,
                provider=transaction.provider_id.name,
            ),
        )
        Ledger._reconcile_receivables(entry.account_payment_id | payment)

    # ------------------------------------------------------------------
    # Cashback
    # ------------------------------------------------------------------

    def _wallet_paid_transactions(self):
        self.ensure_one()
        return self.sudo().transaction_ids.filtered(
            lambda tx: tx.state == "done" and tx.operation not in ("refund", "validation")
        )

    def _wallet_share_given_back(self):
        """The share of what this order paid that has been given back since:
        all of it once cancelled; else its payments' refunds and give-backs,
        and its invoices' credit notes."""
        self.ensure_one()
        if self.state == "cancel":
            return 1.0
        paid = self._wallet_paid_transactions()
        total = sum(paid.mapped("amount"))
        if self.currency_id.is_zero(total):
            return 0.0
        Origin = self.env["wallet.origin"]
        given_back = sum(Origin._given_back(transaction) for transaction in paid)
        credit_notes = self.sudo().invoice_ids.reversal_move_ids.filtered(
            lambda move: move.move_type == "out_refund" and move.state == "posted"
        )
        given_back += sum(credit_notes.mapped("amount_total"))
        return min(given_back / total, 1.0)

    def _wallet_settle_cashback(self):
        """Credit the cashback of each paid order, once, on what it paid in
        cash or by card (``wallet.cashback.rule``); then claw back its share
        of what has been given back of the order."""
        Lot = self.env["wallet.lot"].sudo()
        Ledger = self.env["wallet.transaction"].sudo()
        for order in self:
            lot = Lot.search([("sale_order_id", "=", order.id), ("source", "=", "cashback")])
            if not lot:
                lot = order._wallet_earn_cashback()
            if lot:
                Ledger._claw_back(
                    lot,
                    lot.amount * order._wallet_share_given_back(),
                    _("%(order)s refunded or cancelled", order=order.name),
                )

    def _wallet_earn_cashback(self):
        """The lot of cashback a confirmed order earns once it is paid in full."""
        self.ensure_one()
        company_currency = self.company_id.currency_id
        paid = self._wallet_paid_transactions()
        if (
            self.state != "sale"
            or self.currency_id != company_currency
            or company_currency.compare_amounts(sum(paid.mapped("amount")), self.amount_total) < 0
        ):
            return self.env["wallet.lot"]
        rule, amount = self.env["wallet.cashback.rule"]._best_for(self, paid._wallet_cash_paid())
        if not rule or company_currency.compare_amounts(amount, 0.0) <= 0:
            return self.env["wallet.lot"]
        entry = (
            self.env["wallet.transaction"]
            .sudo()
            ._credit(
                self.partner_id,
                amount,
                kind="cashback",
                company=self.company_id,
                sale_order_id=self.id,
                description=_("Cashback on %(order)s (%(rule)s)", order=self.name, rule=rule.name),
                lot_values={"expiry_date": rule._expiry_date(), "sale_order_id": self.id},
            )
        )
        return entry.lot_ids
