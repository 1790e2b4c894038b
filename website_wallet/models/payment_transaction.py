# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..const import GUARDED_TRANSACTION_FIELDS, PROVIDER_CODE
from ..controllers.payment import WalletController

_logger = logging.getLogger(__name__)


class PaymentTransaction(models.Model):
    """Payment transactions that move wallet money.

    A transaction plays one of two roles.  A *top-up* (any provider but the
    wallet) pays money into a wallet; a transaction of the *wallet* provider
    pays an order or an invoice out of it.  The payment framework decides when
    money moved: notifications, the post-processing cron and backend buttons
    all end in ``_process_notification_data`` or ``_post_process``, where the
    ledger records that it moved, once.
    """

    _inherit = "payment.transaction"

    is_wallet_topup = fields.Boolean("Wallet Top-up", readonly=True, copy=False)
    wallet_transaction_ids = fields.One2many(
        "wallet.transaction", "payment_transaction_id", readonly=True
    )
    wallet_split_transaction_id = fields.Many2one(
        "payment.transaction",
        "Wallet Part",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The wallet transaction that pays the rest of the document with this one.",
    )

    # ------------------------------------------------------------------
    # Creation, references and the guard on money fields
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        transactions = super().create(vals_list)
        if not self.env.su:
            transactions._wallet_check_manual_change()
        transactions.filtered("is_wallet_topup")._wallet_open_topup()
        transactions._wallet_hold_split()
        return transactions

    def write(self, vals):
        guarded = not self.env.su and GUARDED_TRANSACTION_FIELDS & vals.keys()
        if guarded:
            self._wallet_check_manual_change()
        result = super().write(vals)
        if guarded:
            self._wallet_check_manual_change()
        return result

    def _wallet_check_manual_change(self):
        """Only the payment framework and Wallet Managers turn transactions into
        wallet money.

        The framework changes states and amounts as superuser, whether a
        provider notifies it, its cron runs or a backend button asks the
        provider.  Anyone else writing them by hand (a Billing user setting a
        wire transfer to done over RPC, say) would credit money that never
        arrived, or confirm an order the wallet never paid.
        """
        if self.env.user.has_group("website_wallet.group_wallet_manager"):
            return
        if any(transaction._wallet_moves_money() for transaction in self.sudo()):
            raise AccessError(
                _(
                    "This payment transaction moves wallet money: only its payment provider"
                    " or a Wallet Manager can change its state or amount. Confirm a received"
                    " wire transfer with Confirm on the wallet transaction."
                )
            )

    def _wallet_moves_money(self):
        self.ensure_one()
        return (
            self.provider_code == PROVIDER_CODE
            or self.is_wallet_topup
            or (
                bool(self.source_transaction_id)
                and self.source_transaction_id._wallet_moves_money()
            )
        )

    @api.model
    def _compute_reference_prefix(self, provider_code, separator, **values):
        """A top-up's reference is its ledger reference (WLT/2026/00042), so that
        a bank statement or a Stripe dashboard line leads back to the wallet."""
        if values.get("is_wallet_topup"):
            return self.env["wallet.transaction"]._next_reference(self.env.company)
        return super()._compute_reference_prefix(provider_code, separator, **values)

    def _wallet_is_manual(self):
        """Whether a person confirms this payment once the money arrives (wire transfer)."""
        return self.provider_code == "custom"

    # ------------------------------------------------------------------
    # Top-ups: money paid into a wallet
    # ------------------------------------------------------------------

    def _wallet_open_topup(self):
        """Record the pending top-up that each new top-up transaction pays."""
        for transaction in self:
            if transaction.provider_code == PROVIDER_CODE:
                raise ValidationError(_("A wallet cannot pay its own top-up."))
            if transaction.currency_id != transaction.company_id.currency_id:
                raise ValidationError(
                    _(
                        "A wallet is topped up in %(currency)s only.",
                        currency=transaction.company_id.currency_id.name,
                    )
                )
            self.env["wallet.transaction"]._credit(
                transaction.partner_id,
                transaction.amount,
                kind="topup",
                company=transaction.company_id,
                pending=True,
                name=transaction.reference,
                payment_transaction_id=transaction.id,
                description=_("Top-up via %(provider)s", provider=transaction.provider_id.name),
            )

    def _wallet_topup_source(self):
        """The top-up transaction this one belongs to: itself, or the source of
        a partial capture or of a refund (of a capture, too)."""
        self.ensure_one()
        if self.is_wallet_topup:
            return self
        if self.source_transaction_id:
            return self.source_transaction_id._wallet_topup_source()
        return self.browse()

    def _wallet_live_entry(self, direction):
        self.ensure_one()
        return self.wallet_transaction_ids.filtered(
            lambda entry: entry.direction == direction and entry.state != "cancel"
        )

    def _wallet_follow_topup(self, first_time):
        """Make the ledger follow the state of this top-up transaction.

        The wallet is credited exactly what was captured, whichever way the
        transaction got there: done directly, done after an error, done after
        its pending entry expired, or captured in parts (each part credits
        itself and the whole authorisation no longer counts as pending).
        """
        self.ensure_one()
        source = self._wallet_topup_source()
        if not source:
            return
        if self.operation == "refund":
            self._wallet_follow_topup_refund()
            return
        entry = self._wallet_live_entry("credit")
        if self != source:  # a partial capture (or void) of the top-up
            if self.state == "done" and not entry:
                self._wallet_credit_received(_("Capture of %(ref)s", ref=source.reference))
            return
        if self.state == "done":
            captured_in_parts = self.child_transaction_ids.filtered(
                lambda child: child.operation == self.operation
                and child.state in ("done", "cancel")
            )
            if captured_in_parts:
                if entry.state == "pending":
                    entry._cancel(notify=False)
            elif entry.state == "pending":
                entry._confirm()
            elif not entry:  # it had failed or expired: the money came after all
                self._wallet_credit_received(
                    _("Top-up via %(provider)s", provider=self.provider_id.name)
                )
        elif self.state in ("cancel", "error"):
            if entry.state == "pending":
                entry._cancel()
        elif self.state == "pending" and first_time and entry.state == "pending":
            entry._notify_pending()

    def _wallet_credit_received(self, description):
        """Credit what this transaction captured, booked as it is."""
        self.env["wallet.transaction"].sudo()._credit(
            self.partner_id,
            self.amount,
            kind="topup",
            company=self.company_id,
            payment_transaction_id=self.id,
            description=description,
        )

    def _create_payment(self, **extra_create_values):
        """A top-up is owed back to the customer, not earned: its payment credits
        the Customer Wallet liability instead of the receivable, so it can never
        be offered as an outstanding credit and spent a second time; the refund
        of a top-up takes the money back from that liability.

        A refund that the provider made on its own (from its dashboard) for
        more than the wallet still held books the rest on the receivable: the
        customer owes it (``wallet_amount`` in the context is what the wallet
        gave back)."""
        if self._wallet_topup_source():
            account, _journal = self.company_id._wallet_accounting()
            total = abs(self.amount)
            on_wallet = self.env.context.get("wallet_amount", total)
            if on_wallet:
                extra_create_values.setdefault("destination_account_id", account.id)
            if rest := self.currency_id.round(total - on_wallet) if on_wallet else 0.0:
                extra_create_values.setdefault("write_off_line_vals", []).append(
                    self._wallet_receivable_write_off(rest)
                )
            journal = self.provider_id.journal_id
            if not journal.inbound_payment_method_line_ids.filtered(
                lambda line: line.payment_provider_id == self.provider_id
            ):
                # Wire transfer has no payment method of its own: the money is
                # booked like any manual receipt of its bank journal.
                extra_create_values.setdefault(
                    "payment_method_line_id", journal.inbound_payment_method_line_ids[:1].id
                )
        return super()._create_payment(**extra_create_values)

    def _wallet_receivable_write_off(self, amount):
        partner = self.partner_id.commercial_partner_id.with_company(self.company_id)
        return {
            "name": _("%(ref)s: refunded beyond the wallet balance", ref=self.reference),
            "account_id": partner.property_account_receivable_id.id,
            "partner_id": partner.id,
            "currency_id": self.currency_id.id,
            "amount_currency": amount,
            "balance": amount,
        }

    # ------------------------------------------------------------------
    # Refunds
    # ------------------------------------------------------------------

    def _send_refund_request(self, amount_to_refund=None):
        """Override of `payment` to refund wallet money through the framework's
        own machinery, never beyond what the payment paid.

        The payment is locked first, so that two tabs, an RPC call with any
        amount, a cancelled order and a reversal of the same payment are
        counted together (``wallet.origin``), whatever paid it.  Refunding a top-up then sets
        the money aside in the wallet (see ``_create_child_transaction``), so
        that a refund of money already spent is refused before the provider
        is asked.  The wallet refunds to itself at once: its refund
        transaction is processed like a notification, which credits the
        wallet.
        """
        self.ensure_one()
        self.env["wallet.origin"]._check_give_back(self, amount_to_refund or self.amount)
        refund_tx = super(
            PaymentTransaction, self.with_context(wallet_refund_request=True)
        )._send_refund_request(amount_to_refund=amount_to_refund)
        if self.provider_code == PROVIDER_CODE:
            refund_tx._handle_notification_data(PROVIDER_CODE, {"reference": refund_tx.reference})
        return refund_tx

    def _create_child_transaction(self, amount, is_refund=False, **custom_create_values):
        child = super()._create_child_transaction(
            amount, is_refund=is_refund, **custom_create_values
        )
        if (
            is_refund
            and self.env.context.get("wallet_refund_request")
            and (self._wallet_topup_source())
        ):
            child._wallet_hold_topup_refund()
        return child

    def _wallet_hold_topup_refund(self):
        """Set aside in the wallet what this refund of a top-up gives back, or
        refuse it, saying how much can still be refunded."""
        amount = -self.amount
        try:
            with self.env.cr.savepoint():
                self.env["wallet.transaction"].sudo()._debit(
                    self.partner_id,
                    amount,
                    kind="refund",
                    company=self.company_id,
                    pending=True,
                    payment_transaction_id=self.id,
                    description=_(
                        "Refund of %(ref)s to %(provider)s",
                        ref=self.source_transaction_id.reference,
                        provider=self.provider_id.name,
                    ),
                )
        except UserError as error:
            source = self.source_transaction_id
            wallet = self.partner_id.commercial_partner_id.with_company(self.company_id)
            refundable = min(
                self.env["wallet.origin"]._left(source, exclude=self), wallet.wallet_balance
            )
            raise UserError(
                _(
                    "Only %(refundable)s of this top-up can be refunded: the rest has been"
                    " spent from the wallet. (%(reason)s)",
                    refundable=self.currency_id.format(refundable),
                    reason=error,
                )
            ) from error

    def _wallet_follow_topup_refund(self):
        """The money a top-up's refund gives back leaves the wallet.

        The hold made when the refund was asked is captured when the refund
        is done, in the same database transaction as its booking, and
        released if it fails; a refund the provider made on its own (from its
        dashboard) is debited when it is done; a refund that fails after
        being done gives the money back to the wallet.
        """
        entry = self._wallet_live_entry("debit")
        if self.state == "done":
            if entry.state == "pending":
                entry._confirm()
            elif not entry:
                self._wallet_debit_provider_refund()
        elif self.state in ("cancel", "error"):
            if entry.state == "pending":
                entry._cancel()
            elif entry.state == "done" and not entry.reversal_entry_ids:
                entry._reverse(_("the refund %(ref)s failed", ref=self.reference))

    def _wallet_debit_provider_refund(self):
        """Debit a refund nobody asked Odoo for (made in the provider's own
        dashboard): as much as the wallet holds; a Wallet Manager hears of any
        rest, which the customer now owes."""
        Ledger = self.env["wallet.transaction"].sudo()
        wallet = Ledger._lock_wallet(self.partner_id, self.company_id)
        amount = -self.amount
        on_wallet = min(amount, wallet._available())
        transaction = self.with_context(wallet_amount=on_wallet)
        if on_wallet:
            Ledger.with_context(wallet_amount=on_wallet)._debit(
                self.partner_id,
                on_wallet,
                kind="refund",
                company=self.company_id,
                payment_transaction_id=self.id,
                description=_(
                    "Refund of %(ref)s by %(provider)s",
                    ref=self.source_transaction_id.reference,
                    provider=self.provider_id.name,
                ),
            )
        else:
            transaction._create_payment()
        if self.currency_id.compare_amounts(on_wallet, amount) < 0:
            self._wallet_warn_managers(
                _(
                    "%(provider)s refunded %(amount)s of top-up %(ref)s, but the wallet held only"
                    " %(available)s: the difference is now on the customer's receivable.",
                    provider=self.provider_id.name,
                    amount=self.currency_id.format(amount),
                    ref=self.source_transaction_id.reference,
                    available=self.currency_id.format(on_wallet),
                )
            )

    def _wallet_warn_managers(self, summary, record=None):
        """A to-do for every Wallet Manager, on ``record`` (by default the
        top-up's ledger entry): money that did not go where it should."""
        record = record or self._wallet_topup_source().wallet_transaction_ids[:1]
        managers = self.env.ref("website_wallet.group_wallet_manager").sudo().users
        for manager in managers.filtered(lambda user: not user.share and user.active):
            record.sudo().activity_schedule(
                "mail.mail_activity_data_todo", summary=summary, user_id=manager.id
            )

    def _wallet_refund_to_wallet(self):
        """A refund of a wallet payment: the money goes back into the wallet, and
        its payment (Dr receivable / Cr Customer Wallet) is matched with what
        is still open of the refunded payment."""
        source = self.source_transaction_id
        documents = source.invoice_ids or source.sale_order_ids
        self.env["wallet.transaction"]._credit(
            self.partner_id,
            -self.amount,
            kind="refund",
            company=self.company_id,
            payment_transaction_id=self.id,
            origin_transaction_id=source.id,
            sale_order_id=source.sale_order_ids[:1].id,
            invoice_id=source.invoice_ids[:1].id,
            description=_(
                "Refund of %(documents)s",
                documents=", ".join(documents.mapped("name")) or source.reference,
            ),
        )
        self.env["wallet.transaction"]._reconcile_receivables(self.payment_id | source.payment_id)
        self._set_done()

    def _post_process(self):
        """The ledger moves the money first, and books it through the framework's
        ``_create_payment`` in the same database transaction; the framework's
        own post-processing then finds the payment made and goes on (confirms
        the order, invoices it...)."""
        first_time = self.filtered(lambda tx: not tx.is_post_processed)
        for transaction in self:
            transaction._wallet_follow_topup(transaction in first_time)
        result = super()._post_process()
        for transaction in self.filtered(lambda tx: tx.state == "done"):
            # The order's invoice may only exist now (automatic invoicing): pay it
            # with the wallet payment booked when the wallet was debited, or
            # with the wallet's part of a split.
            if transaction.provider_code == PROVIDER_CODE:
                paid_by_wallet = transaction
            else:
                paid_by_wallet = transaction.wallet_split_transaction_id
                paid_by_wallet.invoice_ids = transaction.invoice_ids
            if paid_by_wallet.state == "done" and paid_by_wallet.payment_id:
                self.env["wallet.transaction"]._reconcile_invoices(
                    paid_by_wallet.payment_id, transaction.invoice_ids
                )
        return result

    # ------------------------------------------------------------------
    # The wallet as the provider: paying an order or an invoice
    # ------------------------------------------------------------------

    def _get_specific_rendering_values(self, processing_values):
        """The redirect form posts the reference to the wallet's processing route."""
        res = super()._get_specific_rendering_values(processing_values)
        if self.provider_code != PROVIDER_CODE:
            return res
        return {"api_url": WalletController._process_url, "reference": self.reference}

    def _get_tx_from_notification_data(self, provider_code, notification_data):
        """Find the wallet transaction, and make sure that the customer paying it
        is its owner: a wallet only ever pays for the logged-in customer."""
        tx = super()._get_tx_from_notification_data(provider_code, notification_data)
        if provider_code != PROVIDER_CODE or len(tx) == 1:
            return tx
        reference = notification_data.get("reference")
        tx = self.search([("reference", "=", reference), ("provider_code", "=", PROVIDER_CODE)])
        if not tx:
            raise ValidationError(
                _("Wallet: no transaction found matching reference %s.", reference)
            )
        customer = self.env.user.partner_id.commercial_partner_id
        if tx.partner_id.commercial_partner_id != customer:
            raise AccessError(_("This payment belongs to another customer."))
        if tx._wallet_split_rest():
            # Its hold is captured with the payment of the rest, never alone.
            raise ValidationError(
                _(
                    "Wallet: %(ref)s is the wallet's part of another payment and is paid with it.",
                    ref=reference,
                )
            )
        return tx

    def _process_notification_data(self, notification_data):
        """Pay a draft wallet transaction; any other state was processed already
        (a double click, a refreshed page) and is left as it is."""
        super()._process_notification_data(notification_data)
        if self.provider_code != PROVIDER_CODE or self.state != "draft":
            return
        if self.operation == "refund":
            self._wallet_refund_to_wallet()
            return
        try:
            with self.env.cr.savepoint():
                self.env["wallet.transaction"]._debit(
                    self.partner_id,
                    self.amount,
                    kind="payment",
                    company=self.company_id,
                    payment_transaction_id=self.id,
                    sale_order_id=self.sale_order_ids[:1].id,
                    invoice_id=self.invoice_ids[:1].id,
                    description=", ".join((self.invoice_ids or self.sale_order_ids).mapped("name")),
                )
        except UserError as error:
            _logger.info("Wallet payment %s refused: %s", self.reference, error)
            self._set_error(str(error))
            self._wallet_back_to_payment_page()
            return
        self._set_done()

    def _wallet_back_to_payment_page(self):
        """After a refused wallet payment the shopper returns to the page they
        paid from, where the reason is shown.  The shop's landing route would
        empty the cart, so a shop payment returns to the payment step; an
        invoice page shows a failed payment's reason when asked to, as core
        does; an order page shows its last transaction's state anyway."""
        route = self.landing_route or ""
        if route.startswith("/shop/payment/validate"):
            self.landing_route = "/shop/payment"
        elif self.invoice_ids and "error=" not in route:
            separator = "&" if "?" in route else "?"
            self.landing_route = f"{route}{separator}error=pay_invoice_tx_fail"

    def _wallet_check_debit(self, amount):
        """Refuse, under the wallet lock, a payment the wallet may not make.

        Only a published wallet provider of the document's company pays, in
        the wallet's currency, for a document that still owes exactly that
        amount.  The documents are read again here, after the lock: a second
        tab, a double submit or another route that paid them meanwhile is
        seen, and the second payment is refused.
        """
        self.ensure_one()
        if self.provider_code != PROVIDER_CODE or self.operation == "refund":
            return
        documents = self.invoice_ids or self.sale_order_ids
        if not documents:
            raise UserError(_("The wallet pays orders and invoices only."))
        documents.invalidate_recordset()
        self.sale_order_ids.transaction_ids.invalidate_recordset(["state", "amount"])
        self._wallet_check_provider(documents)
        wallet_currency = self.company_id.currency_id
        if (self.currency_id | documents.currency_id) != wallet_currency:
            raise UserError(
                _(
                    "The wallet holds %(wallet)s only; this payment is in %(currency)s.",
                    wallet=wallet_currency.name,
                    currency=", ".join((self.currency_id | documents.currency_id).mapped("name")),
                )
            )
        expected = (
            self._wallet_invoice_amounts() if self.invoice_ids else self._wallet_order_amounts()
        )
        if rest := self._wallet_split_rest():
            # The wallet's part of a split: what is due less what the other
            # payment brings and the documents do not show as paid yet.
            expected = [expected[0] - rest._wallet_amount_to_come()]
        expected = sorted({wallet_currency.round(due) for due in expected})
        if not any(wallet_currency.is_zero(amount - due) for due in expected):
            raise UserError(
                _(
                    "The amount to pay (%(amount)s) is not what %(documents)s still owes"
                    " (%(due)s).",
                    amount=wallet_currency.format(amount),
                    documents=", ".join(documents.mapped("name")),
                    due=_(" or ").join(wallet_currency.format(due) for due in expected),
                )
            )

    # ------------------------------------------------------------------
    # Split payments: the wallet's part and another payment for the rest
    # ------------------------------------------------------------------

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

    def _wallet_hold_split(self):
        """When the transaction paying the rest of a split is created, hold the
        wallet's part: the document's earlier hold is released, the split is
        computed again, and the rest must be exactly what this transaction
        pays (a browser that edited it is refused).  Wire transfer cannot pay
        the rest: a hold cannot wait days for it.  Only the routes of the
        pages that offer the split apply it (see ``offer_split``)."""
        if not self.env.context.get("wallet_split_offered"):
            return
        for transaction in self:
            document = transaction.invoice_ids or transaction.sale_order_ids
            if (
                len(document) != 1
                or not document.wallet_use_balance
                or transaction.provider_code == PROVIDER_CODE
                or transaction.is_wallet_topup
                or transaction.source_transaction_id
                or transaction.operation not in ("online_redirect", "online_direct", "online_token")
            ):
                continue
            document._wallet_release_holds()
            split = document._wallet_split(transaction.partner_id)
            if not split["use"]:
                continue
            if transaction._wallet_is_manual():
                raise ValidationError(
                    _("Wire transfer cannot pay the rest of a wallet payment: choose a card.")
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
            payment_transaction_id=part.id,
            sale_order_id=part.sale_order_ids[:1].id,
            invoice_id=part.invoice_ids[:1].id,
            description=", ".join(document.mapped("name")),
        )
        return part

    def _set_authorized(self, state_message=None, extra_allowed_states=()):
        transactions = super()._set_authorized(
            state_message=state_message, extra_allowed_states=extra_allowed_states
        )
        transactions._wallet_capture_split()
        return transactions

    def _set_done(self, state_message=None, extra_allowed_states=()):
        transactions = super()._set_done(
            state_message=state_message, extra_allowed_states=extra_allowed_states
        )
        transactions._wallet_capture_split()
        return transactions

    def _set_canceled(self, state_message=None, extra_allowed_states=()):
        transactions = super()._set_canceled(
            state_message=state_message, extra_allowed_states=extra_allowed_states
        )
        transactions._wallet_release_split()
        return transactions

    def _set_error(self, state_message, extra_allowed_states=()):
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
                transaction._wallet_warn_managers(
                    _(
                        "%(ref)s was paid, but the wallet could not pay its %(amount)s part:"
                        " %(reason)s",
                        ref=transaction.reference,
                        amount=part.currency_id.format(part.amount),
                        reason=error,
                    ),
                    transaction.invoice_ids or transaction.sale_order_ids,
                )

    def _wallet_take_part(self, part):
        hold = part._wallet_live_entry("debit")
        if hold.state != "pending":  # released meanwhile: hold it again, if the wallet allows
            if part.state == "draft":
                part._set_canceled()
            part = self._wallet_hold_part(self.invoice_ids or self.sale_order_ids, part.amount)
            hold = part._wallet_live_entry("debit")
        part._wallet_check_debit(hold.amount)  # the documents may have changed meanwhile
        hold._confirm()
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

    def _wallet_check_provider(self, documents):
        provider = self.provider_id
        company = documents.company_id
        websites = self.sale_order_ids.website_id
        if (
            provider.state == "disabled"
            or not provider.is_published
            or company != provider.company_id
            or not all(websites.mapped("wallet_enabled"))
        ):
            raise UserError(
                _(
                    "The wallet cannot pay %(documents)s.",
                    documents=", ".join(documents.mapped("name")),
                )
            )

    def _wallet_order_amounts(self):
        """What an order still awaits: its total less what other transactions paid
        or authorised, or the prepayment its portal page asks for."""
        order = self.sale_order_ids
        if len(order) != 1:
            raise UserError(_("The wallet pays one order at a time."))
        if order.state == "cancel":
            raise UserError(_("Order %(order)s is cancelled.", order=order.name))
        currency = order.currency_id
        due = currency.round(order._wallet_amount_due())
        if currency.compare_amounts(due, 0.0) <= 0:
            raise UserError(_("Order %(order)s is already paid.", order=order.name))
        amounts = [due]
        if order.state in ("draft", "sent") and order.require_payment:
            paid = order.amount_total - due
            prepayment = currency.round(order._get_prepayment_required_amount() - paid)
            if currency.compare_amounts(prepayment, 0.0) > 0:
                amounts.append(prepayment)
        return amounts

    def _wallet_invoice_amounts(self):
        """What invoices still owe: their residual, or the next installment or
        early-payment amount that the portal offers for one invoice."""
        for invoice in self.invoice_ids:
            if invoice.move_type != "out_invoice" or invoice.state != "posted":
                raise UserError(
                    _("%(invoice)s cannot be paid with the wallet.", invoice=invoice.name)
                )
            if invoice.currency_id.is_zero(invoice.amount_residual):
                raise UserError(_("Invoice %(invoice)s is already paid.", invoice=invoice.name))
        amounts = [sum(self.invoice_ids.mapped("amount_residual"))]
        if len(self.invoice_ids) == 1:
            next_payment = self.invoice_ids._get_invoice_next_payment_values()
            amounts += [next_payment.get("next_amount_to_pay"), next_payment.get("amount_due")]
        return [amount for amount in amounts if amount]
