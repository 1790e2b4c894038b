# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class WalletDocumentMixin(models.AbstractModel):
    """A document that the wallet pays: an order or an invoice.

    It says what it still owes and whether it can be paid at all, for the
    payment form and for the check made under the wallet's lock alike.  The
    customer may also pay it partly from the wallet and the rest with another
    payment method: the choice is stored on the document, never trusted from
    the browser; the wallet's part is held when the rest's payment transaction
    is created and captured when that transaction is authorised or done (see
    ``payment_transaction_split.py``).
    """

    _name = "wallet.document.mixin"
    _description = "Document the wallet pays"

    wallet_use_balance = fields.Boolean(
        "Pay Partly with the Wallet",
        copy=False,
        help="The customer chose to use their wallet balance and pay the rest otherwise.",
    )

    def _wallet_amounts_due(self):
        """What a payment of this document may take now, in its currency: the
        whole amount it still owes first (zero or less once paid), then any
        smaller amount its portal page offers (a prepayment, the next
        installment, an early-payment amount)."""
        raise NotImplementedError

    def _wallet_payable_refusal(self):
        """Why this document cannot be paid now (a key of
        ``UNAVAILABLE_REASONS``), or None."""
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
        due = currency.round(self._wallet_amounts_due()[0])
        wallet = partner.sudo().with_company(self.company_id)  # its commercial partner's
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
