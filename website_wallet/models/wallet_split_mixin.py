# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class WalletSplitMixin(models.AbstractModel):
    """A document (an order, an invoice) that the customer may pay partly from
    the wallet and the rest with another payment method.

    The customer's choice is stored on the document, never trusted from the
    browser.  The wallet's part is held when the rest's payment transaction is
    created (see ``payment.transaction._wallet_hold_split``) and captured when
    that transaction is authorised or done.
    """

    _name = "wallet.split.mixin"
    _description = "Document payable partly from the wallet"

    wallet_use_balance = fields.Boolean(
        "Pay Partly with the Wallet",
        copy=False,
        help="The customer chose to use their wallet balance and pay the rest otherwise.",
    )

    def _wallet_amount_due(self):
        """What the document still asks for, before any wallet part."""
        raise NotImplementedError

    def _wallet_split(self, partner):
        """The wallet's part and the rest, for ``partner``'s wallet.

        A split applies only when the wallet holds something but less than
        what is due (a wallet that covers it all pays it all).  Money this
        document itself holds in the wallet (an earlier attempt) counts as
        available: a new attempt replaces the old hold.
        """
        self.ensure_one()
        currency = self.company_id.currency_id
        due = currency.round(self._wallet_amount_due())
        wallet = partner.commercial_partner_id.sudo().with_company(self.company_id)
        available = currency.round(wallet.wallet_balance + self._wallet_own_holds())
        applies = self.currency_id == currency and 0 < available < due
        wallet_amount = available if applies else 0.0
        return {
            "applies": applies,
            "use": applies and self.wallet_use_balance,
            "due": due,
            "wallet_amount": wallet_amount,
            "remaining_amount": currency.round(due - wallet_amount),
            "currency": currency,
        }

    def _wallet_split_transactions(self):
        """The transactions paying the rest of a split, with their wallet part."""
        return self.sudo().transaction_ids.filtered("wallet_split_transaction_id")

    def _wallet_own_holds(self):
        parts = self._wallet_split_transactions().wallet_split_transaction_id
        return sum(parts.filtered(lambda part: part.state == "draft").mapped("amount"))

    def _wallet_release_holds(self):
        """Release the wallet parts held for this document's payments in progress
        (a new attempt, a changed cart): they are computed again next time."""
        self._wallet_split_transactions().filtered(
            lambda tx: tx.state in ("draft", "pending")
        )._wallet_release_split()
