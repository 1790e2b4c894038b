# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class AccountMove(models.Model):
    """The journal entries of the wallet ledger stay as the ledger booked them.

    Resetting, cancelling, deleting or reversing one by hand (directly or
    through its payment, whose buttons all come here) would make the books
    disagree with the wallets; a correction is a reversal of the wallet
    transaction, which books its own reverse entry.
    """

    _name = "account.move"
    _inherit = ["account.move", "wallet.document.mixin"]

    wallet_refundable = fields.Boolean(
        compute="_compute_wallet_refundable",
        help="A posted customer credit note with an amount left to refund.",
    )

    @api.depends("move_type", "state", "amount_residual", "currency_id")
    def _compute_wallet_refundable(self):
        Origin = self.env["wallet.origin"]
        for move in self:
            move.wallet_refundable = (
                move.move_type == "out_refund"
                and move.state == "posted"
                and move.currency_id == move.company_id.currency_id
                and not move.currency_id.is_zero(move.amount_residual)
                and not move.currency_id.is_zero(Origin._left(move))
            )

    def _wallet_amounts_due(self):
        """The invoice's residual, then the next installment or the
        early-payment amount its portal page offers."""
        self.ensure_one()
        amounts = [self.amount_residual]
        if self.move_type == "out_invoice" and self.state == "posted":
            next_payment = self._get_invoice_next_payment_values()
            amounts += [
                amount
                for amount in (
                    next_payment.get("next_amount_to_pay"),
                    next_payment.get("amount_due"),
                )
                if amount and not self.currency_id.is_zero(amount - self.amount_residual)
            ]
        return amounts

    def _wallet_payable_refusal(self):
        self.ensure_one()
        if self.move_type != "out_invoice" or self.state != "posted":
            return "not_invoice"
        if self.currency_id.is_zero(self.amount_residual):
            return "paid"
        return None

    def action_refund_to_wallet(self):
        """Refund a customer credit note to the customer's wallet (store credit
        instead of money back), whatever paid the invoice it corrects.

        What is left of the credit note is read again under its lock
        (``wallet.origin``), so a double click, a second user or a payment
        registered meanwhile never refunds it twice.  Booked as an outbound
        payment of the Wallet journal (Dr receivable / Cr Customer Wallet),
        matched with the credit note.
        """
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(_("Only accounting users refund credit notes."))
        Ledger = self.env["wallet.transaction"].sudo()
        for credit_note in self.sudo():
            left = self.env["wallet.origin"]._lock_and_left(credit_note)
            if not credit_note.wallet_refundable:
                raise UserError(
                    _(
                        "%(move)s cannot be refunded to the wallet: only a posted customer"
                        " credit note in %(currency)s with an amount left to refund can.",
                        move=credit_note.display_name,
                        currency=credit_note.company_id.currency_id.name,
                    )
                )
            Ledger._credit(
                credit_note.partner_id,
                left,
                kind="refund",
                company=credit_note.company_id,
                promo=credit_note._wallet_spent_entries()._promo_to_give_back(left),
                invoice_id=credit_note.id,
                origin_move_id=credit_note.id,
                description=_("Refund of %(move)s", move=credit_note.name),
            )
        return True

    def _wallet_spent_entries(self):
        """The wallet payments of the invoice this credit note corrects (made
        on the invoice or on its orders): what the credit note gives back
        returns their promotional credit first."""
        self.ensure_one()
        invoice = self.sudo().reversed_entry_id
        if not invoice:
            return self.env["wallet.transaction"]
        return (
            self.env["wallet.transaction"]
            .sudo()
            .search(
                [
                    ("direction", "=", "debit"),
                    ("kind", "=", "payment"),
                    ("state", "=", "done"),
                    "|",
                    ("invoice_id", "=", invoice.id),
                    ("sale_order_id", "in", invoice.line_ids.sale_line_ids.order_id.ids),
                ]
            )
        )

    def _check_not_wallet_ledger(self):
        entries = (
            self.env["wallet.transaction"].sudo().search([("move_id", "in", self.ids)])
            if self.ids
            else self.env["wallet.transaction"]
        )
        if entries:
            raise UserError(
                _(
                    "%(moves)s belong to the wallet ledger (%(entries)s) and cannot be reset,"
                    " cancelled, deleted or reversed by hand. Correct the wallet transaction"
                    " with Reverse instead.",
                    moves=", ".join(entries.move_id.mapped("display_name")),
                    entries=", ".join(entries.mapped("name")),
                )
            )

    def button_draft(self):
        """Override of `account`: see ``_check_not_wallet_ledger``."""
        self._check_not_wallet_ledger()
        return super().button_draft()

    def button_cancel(self):
        """Override of `account`: see ``_check_not_wallet_ledger``."""
        self._check_not_wallet_ledger()
        return super().button_cancel()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_wallet_ledger(self):
        self._check_not_wallet_ledger()

    def _post(self, soft=True):
        """Override of `account`: only the ledger books on a Customer Wallet
        account.  An entry written there by hand (a miscellaneous entry, a
        bank line matched to it, a payment registered in the Wallet journal)
        would move the books but not the wallet.  The ledger and the payment
        framework post as superuser."""
        if not self.env.su:
            wallet_accounts = self.company_id._wallet_ledger_accounts()
            if self.line_ids.filtered(lambda line: line.account_id in wallet_accounts):
                raise UserError(
                    _(
                        "The wallet accounts (Customer Wallet, Promotional Credit) are kept by"
                        " the wallet ledger and cannot be used in %(moves)s. Confirm a pending"
                        " top-up, pay with the wallet or record a Wallet Adjustment instead.",
                        moves=", ".join(self.mapped("display_name")),
                    )
                )
        posted = super()._post(soft=soft)
        credit_notes = posted.filtered(
            lambda move: move.move_type == "out_refund" and move.reversed_entry_id
        )
        if credit_notes:
            # A credit note gives back part of its orders: their cashback
            # is clawed back in proportion.
            orders = credit_notes.sudo().reversed_entry_id.line_ids.sale_line_ids.order_id
            orders._wallet_settle_cashback()
        return posted

    def _reverse_moves(self, default_values_list=None, cancel=False):
        """Override of `account`: the ledger reverses its own entries as
        superuser; people never do."""
        if not self.env.su:
            self._check_not_wallet_ledger()
        return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)
