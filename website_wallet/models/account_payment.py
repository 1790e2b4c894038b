# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, models
from odoo.exceptions import UserError


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def _compute_amount_available_for_refund(self):
        """Override of `account_payment` to offer no more than is left to give
        back of wallet money: what the payment's refunds (in progress ones
        too), a cancelled order and reversals have not given back yet
        (``wallet.origin``).  A top-up also gives back no more than the
        wallet still holds of it in cash: money already spent from the wallet
        cannot go back to the card as well.  A wallet payment's own amount is
        only its cash part (its promotional part is a line of its entry): what
        it paid is its transaction's amount."""
        result = super()._compute_amount_available_for_refund()
        Origin = self.env["wallet.origin"]
        for payment in self:
            transaction = payment.payment_transaction_id.sudo()
            if not (transaction and payment._wallet_refundable_by_core(transaction)):
                continue
            if not Origin._is_wallet_money(transaction):
                continue
            available = Origin._left(transaction)
            if transaction._wallet_topup_source():
                wallet = transaction.partner_id.with_company(payment.company_id)
                available = min(available, wallet.wallet_cash_balance)
            payment.amount_available_for_refund = max(0.0, available)
        return result

    def _wallet_refundable_by_core(self, transaction):
        """Whether core offers a refund of this payment at all (its provider and
        method refund, and it is not itself a refund)."""
        method = transaction.payment_method_id.primary_payment_method_id or (
            transaction.payment_method_id
        )
        return (
            transaction.provider_id.support_refund != "none"
            and method.support_refund != "none"
            and transaction.operation != "refund"
        )

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
        if self.partner_id != self.partner_id.commercial_partner_id:
            raise UserError(
                _(
                    "The Wallet journal pays for the wallet's owner, %(owner)s, not for its"
                    " contact %(contact)s.",
                    owner=self.partner_id.commercial_partner_id.display_name,
                    contact=self.partner_id.display_name,
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
            credit_note = self._wallet_credit_note()
            if credit_note._wallet_spent_entries()._promo_to_give_back(self.amount):
                raise UserError(
                    _(
                        "%(move)s corrects an invoice paid partly with promotional credit: refund"
                        " it with Refund to Wallet, which gives the promotional credit back to"
                        " its fund, not with a payment of the Wallet journal.",
                        move=credit_note.display_name,
                    )
                )
            Ledger._credit(
                self.partner_id,
                self.amount,
                kind="refund",
                origin_move_id=credit_note.id,
                **values,
            )
        else:
            Ledger._debit(self.partner_id, self.amount, kind="payment", **values)

    def _wallet_credit_note(self):
        """Money paid into a wallet by hand gives back one credit note: Register
        Payment on it.  Without one it would be money from nowhere (a Wallet
        Adjustment is the way to give money with a reason)."""
        credit_note = self.invoice_ids
        if len(credit_note) != 1 or credit_note.move_type != "out_refund":
            raise UserError(
                _(
                    "A payment of the Wallet journal to a customer refunds one credit note:"
                    " use Register Payment on the credit note, or Refund to Wallet. To give"
                    " money for another reason, a Wallet Manager records a Wallet Adjustment."
                )
            )
        return credit_note
