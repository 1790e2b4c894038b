# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..const import PROVIDER_CODE, SPLIT_HOLD_EXPIRY

# The operations of a payment the customer makes in the payment form.
CUSTOMER_OPERATIONS = ("online_redirect", "online_direct", "online_token")


class PaymentTransaction(models.Model):
    """A split payment: the wallet's balance, and another payment for the rest.

    When the transaction paying the rest is created (on a page that offers
    the split), the wallet's part gets a wallet transaction of its own, the
    *part*, and its money is held.  When the rest is authorised or paid the
    hold is captured, in the same database transaction; when the rest fails,
    is cancelled or abandoned, it is released.  The part is internal: nothing
    but the capture of the rest's transaction takes it.
    """

    _inherit = "payment.transaction"

    wallet_split_transaction_id = fields.Many2one(
        "payment.transaction",
        "Wallet Part",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The wallet transaction that pays the rest of the document with this one.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """Override of `payment`: the rest of a split holds the wallet's part."""
        transactions = super().create(vals_list)
        transactions._wallet_hold_split()
        return transactions

    def _wallet_split_rest(self):
        """For the wallet's part of a split, the transaction paying the rest."""
        self.ensure_one()
        if self.provider_code != PROVIDER_CODE:
            return self.browse()
        return self.search([("wallet_split_transaction_id", "=", self.id)], limit=1)

    def _wallet_amount_to_come(self):
        """What this transaction pays that its documents do not show as paid
        yet: an order counts authorised and done transactions, an invoice its
        reconciled payments."""
        self.ensure_one()
        if self.invoice_ids:
            return 0.0 if self.payment_id else self.amount
        return 0.0 if self.state in ("authorized", "done") else self.amount

    # ------------------------------------------------------------------
    # Hold
    # ------------------------------------------------------------------

    def _wallet_hold_split(self):
        """When the transaction paying the rest of a split is created, hold the
        wallet's part: the document's earlier hold is released, the split is
        computed again, and the rest must be exactly what this transaction
        pays (a browser that edited it is refused).  A payment that arrives
        later (a wire transfer, paying on site) cannot pay the rest: a hold
        cannot wait days for it.  Only the routes of the pages that offer the
        split apply it (see ``offer_split``)."""
        if not self.env.context.get("wallet_split_offered"):
            return
        for transaction in self:
            document = transaction._wallet_document()
            if (
                len(document) != 1
                or not document.wallet_use_balance
                or transaction.provider_code == PROVIDER_CODE
                or transaction.is_wallet_topup
                or transaction.source_transaction_id
                or transaction.operation not in CUSTOMER_OPERATIONS
            ):
                continue
            document._wallet_release_holds()
            split = document._wallet_split(transaction.partner_id)
            if not split["use"]:
                continue
            if transaction.provider_id._wallet_pays_later():
                raise ValidationError(
                    _(
                        "%(provider)s cannot pay the rest of a wallet payment: choose a card.",
                        provider=transaction.provider_id.name,
                    )
                )
            if not transaction.currency_id.is_zero(transaction.amount - split["remaining_amount"]):
                raise ValidationError(
                    _(
                        "The amount to pay has changed (%(amount)s are left to pay after the"
                        " wallet's %(wallet)s): refresh the page.",
                        amount=split["currency"].format(split["remaining_amount"]),
                        wallet=split["currency"].format(split["wallet_amount"]),
                    )
                )
            transaction._wallet_hold_part(document, split["wallet_amount"])

    def _wallet_hold_part(self, document, amount):
        """A wallet transaction for the wallet's part, and its hold."""
        provider = (
            self.env["payment.provider"]
            .sudo()
            .search(
                [
                    *self.env["payment.provider"]._check_company_domain(document.company_id),
                    ("code", "=", PROVIDER_CODE),
                ],
                limit=1,
            )
        )
        part = self.sudo().create(
            {
                "provider_id": provider.id,
                "payment_method_id": provider.payment_method_ids[:1].id,
                "amount": amount,
                "currency_id": self.currency_id.id,
                "partner_id": self.partner_id.id,
                "operation": "online_direct",
                "landing_route": self.landing_route,
                "sale_order_ids": [Command.set(self.sale_order_ids.ids)],
                "invoice_ids": [Command.set(self.invoice_ids.ids)],
            }
        )
        self.wallet_split_transaction_id = part
        self.env["wallet.transaction"]._debit(
            part.partner_id,
            amount,
            kind="payment",
            company=part.company_id,
            pending=True,
            funds="any",
            promo_first=part._wallet_promo_first(),
            payment_transaction_id=part.id,
            sale_order_id=part.sale_order_ids[:1].id,
            invoice_id=part.invoice_ids[:1].id,
            description=", ".join(document.mapped("name")),
        )
        return part

    # ------------------------------------------------------------------
    # Capture and release, as the rest's transaction moves
    # ------------------------------------------------------------------

    def _set_authorized(self, state_message=None, extra_allowed_states=()):
        """Override of `payment`: an authorised rest captures the wallet's part."""
        transactions = super()._set_authorized(
            state_message=state_message, extra_allowed_states=extra_allowed_states
        )
        transactions._wallet_capture_split()
        return transactions

    def _set_done(self, state_message=None, extra_allowed_states=()):
        """Override of `payment`: a paid rest captures the wallet's part."""
        transactions = super()._set_done(
            state_message=state_message, extra_allowed_states=extra_allowed_states
        )
        transactions._wallet_capture_split()
        return transactions

    def _set_canceled(self, state_message=None, extra_allowed_states=()):
        """Override of `payment`: a cancelled rest releases the wallet's part."""
        transactions = super()._set_canceled(
            state_message=state_message, extra_allowed_states=extra_allowed_states
        )
        transactions._wallet_release_split()
        return transactions

    def _set_error(self, state_message, extra_allowed_states=()):
        """Override of `payment`: a failed rest releases the wallet's part."""
        transactions = super()._set_error(state_message, extra_allowed_states=extra_allowed_states)
        transactions._wallet_release_split()
        return transactions

    def _wallet_capture_split(self):
        """The rest is authorised or paid: capture the wallet's part in the same
        database transaction, so the document receives its whole amount at
        once.  A part released meanwhile (an expired hold, a changed cart) is
        taken again if the wallet allows; otherwise the document stays
        unconfirmed with what it received, and Wallet Managers hear of it."""
        for transaction in self.filtered("wallet_split_transaction_id"):
            part = transaction.wallet_split_transaction_id
            if part.state == "done":
                continue  # captured when the rest was authorised
            try:
                with self.env.cr.savepoint():
                    part = transaction._wallet_take_part(part)
            except UserError as error:
                transaction._wallet_release_split()
                self.env["wallet.transaction"]._schedule_manager_todo(
                    transaction._wallet_document(),
                    _(
                        "%(ref)s was paid, but the wallet could not pay its %(amount)s part:"
                        " %(reason)s",
                        ref=transaction.reference,
                        amount=part.currency_id.format(part.amount),
                        reason=error,
                    ),
                )

    def _wallet_take_part(self, part):
        """Capture the part's hold: under the wallet's lock, the documents must
        still owe it; it is booked with the framework's ``_create_payment``."""
        Ledger = self.env["wallet.transaction"]
        hold = part._wallet_live_entry("debit")
        if hold.state != "pending":  # released meanwhile: hold it again, if the wallet allows
            if part.state == "draft":
                part._set_canceled()
            part = self._wallet_hold_part(self._wallet_document(), part.amount)
            hold = part._wallet_live_entry("debit")
        Ledger._lock_wallet(part.partner_id, part.company_id)
        part._wallet_check_debit(hold.amount)  # the documents may have changed meanwhile
        hold._confirm(payment=part._wallet_payment(hold.promo_amount))
        part._set_done()
        # Its order or invoice is post-processed with the rest's transaction.
        part.is_post_processed = True
        return part

    def _wallet_release_split(self):
        """The rest will not be paid (failed, cancelled, abandoned, replaced):
        the wallet's part is released."""
        for transaction in self.filtered("wallet_split_transaction_id"):
            part = transaction.wallet_split_transaction_id
            if part.state != "draft":
                continue
            hold = part._wallet_live_entry("debit")
            if hold.state == "pending":
                hold._cancel()
            part._set_canceled(
                _(
                    "The payment of the rest (%(ref)s) did not go through.",
                    ref=transaction.reference,
                )
            )

    def _post_process(self):
        """Override of `payment`: the order's invoice may only exist now
        (automatic invoicing); it is paid by the rest and by the wallet's part
        together."""
        result = super()._post_process()
        for transaction in self.filtered(lambda tx: tx.state == "done"):
            part = transaction.wallet_split_transaction_id
            if part.state == "done" and part.payment_id:
                part.invoice_ids = transaction.invoice_ids
                self.env["wallet.transaction"]._reconcile_invoices(
                    part.payment_id, transaction.invoice_ids
                )
        return result

    @api.model
    def _cron_wallet_release_abandoned_splits(self):
        """The wallet's part of a split whose rest is still a draft after
        ``SPLIT_HOLD_EXPIRY`` (the shopper closed the tab) is released.  The
        rest's transaction is left as it is: should it succeed after all, it
        takes the wallet's part again, if the wallet still can."""
        self.sudo().search(
            [
                ("state", "=", "draft"),
                ("wallet_split_transaction_id.state", "=", "draft"),
                ("create_date", "<", fields.Datetime.now() - SPLIT_HOLD_EXPIRY),
            ]
        )._wallet_release_split()
