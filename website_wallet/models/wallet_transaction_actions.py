# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..const import TOPUP_DRAFT_EXPIRY


class WalletTransaction(models.Model):
    """The buttons of a ledger entry and its cron: people and time ask the
    payment framework or the ledger service to move money; they move none
    themselves."""

    _inherit = "wallet.transaction"

    # ------------------------------------------------------------------
    # Actions (buttons)
    # ------------------------------------------------------------------

    def _check_manager(self):
        if not self.env.user.has_group("website_wallet.group_wallet_manager"):
            raise AccessError(
                _(
                    "Only a Wallet Manager can confirm, cancel, reverse, adjust or check"
                    " wallet entries."
                )
            )

    def action_confirm(self):
        """Confirm a wire-transfer top-up once its money is on the bank statement.

        It is confirmed through its payment transaction, so that both move
        together and the framework's post-processing makes the single ledger
        change.  Card top-ups are confirmed by their provider, never by hand.
        """
        self._check_manager()
        for entry in self.sudo():
            entry._check_confirmable_by_hand()
            if transaction := entry.payment_transaction_id:
                transaction._set_done()
                transaction._post_process()
            else:
                entry._confirm()
        return True

    def action_cancel(self):
        """Cancel a top-up whose money will not arrive.

        A wire transfer is cancelled with its payment transaction.  A card
        top-up only loses its pending entry: should the card payment still
        succeed, the provider's notification credits the wallet.
        """
        self._check_manager()
        for entry in self.sudo():
            entry._check_pending()
            transaction = entry.payment_transaction_id
            if not (transaction._wallet_is_manual() and transaction.state in ("draft", "pending")):
                entry._cancel()  # no transaction to cancel, or a card's that may still succeed
                continue
            transaction._set_canceled()
            transaction._post_process()
        return True

    def _check_confirmable_by_hand(self):
        self._check_pending()
        transaction = self.payment_transaction_id
        if transaction and not (transaction._wallet_is_manual() and transaction.state == "pending"):
            raise UserError(
                _(
                    "%(ref)s cannot be confirmed by hand: only a wire transfer that the"
                    " customer has confirmed is. Card payments are confirmed by their"
                    " provider when the money is received.",
                    ref=self.name,
                )
            )

    def action_reverse(self):
        self._check_manager()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "website_wallet.action_wallet_adjustment_wizard"
        ) | {"context": {"default_reversed_entry_id": self.id}}

    @api.model
    def _cron_expire_abandoned(self):
        """A card top-up still a draft after ``TOPUP_DRAFT_EXPIRY`` (the shopper
        closed the tab) no longer counts as pending.  Its payment transaction
        is left as it is: should it succeed after all, its notification
        credits the wallet."""
        self.sudo().search(
            [
                ("state", "=", "pending"),
                ("kind", "=", "topup"),
                ("payment_transaction_id.state", "=", "draft"),
                (
                    "payment_transaction_id.create_date",
                    "<",
                    fields.Datetime.now() - TOPUP_DRAFT_EXPIRY,
                ),
            ]
        )._cancel()
