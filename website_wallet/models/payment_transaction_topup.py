# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, models
from odoo.exceptions import UserError, ValidationError

from ..const import PROVIDER_CODE


class PaymentTransaction(models.Model):
    """Money paid into a wallet, and money given back, both ways.

    A *top-up* (any provider but the wallet) pays money into a wallet: the
    ledger follows its state, and credits exactly what it captured.  Refunds
    go through the framework's own refund machinery: refunding a top-up takes
    the money out of the wallet; refunding a wallet payment puts it back.
    Every refund asked in Odoo is bounded by what is left of its payment
    (``wallet.origin``).
    """

    _inherit = "payment.transaction"

    @api.model_create_multi
    def create(self, vals_list):
        """Override of `payment`: a new top-up announces its pending entry."""
        transactions = super().create(vals_list)
        transactions.filtered("is_wallet_topup")._wallet_open_topup()
        return transactions

    @api.model
    def _compute_reference_prefix(self, provider_code, separator, **values):
        """Override of `payment`: a top-up's reference is its ledger reference
        (WLT/2026/00042), so that a bank statement or a Stripe dashboard line
        leads back to the wallet."""
        if values.get("is_wallet_topup"):
            return self.env["wallet.transaction"]._next_reference(self.env.company)
        return super()._compute_reference_prefix(provider_code, separator, **values)

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

    def _post_process(self):
        """Override of `payment`: the ledger follows each top-up first, and books
        it through the framework's ``_create_payment`` in the same database
        transaction; the framework's own post-processing then finds the
        payment made and goes on."""
        first_time = self.filtered(lambda tx: not tx.is_post_processed)
        for transaction in self.filtered(lambda tx: tx._wallet_topup_source()):
            transaction._wallet_follow_topup(transaction in first_time)
        return super()._post_process()

    def _wallet_follow_topup(self, first_time):
        """Make the ledger follow the state of this top-up transaction.

        The wallet is credited exactly what was captured, whichever way the
        transaction got there: done directly, done after an error, done after
        its pending entry expired, or captured in parts (each part credits
        itself and the whole authorisation no longer counts as pending).
        """
        self.ensure_one()
        if self.operation == "refund":
            self._wallet_follow_topup_refund()
            return
        source = self._wallet_topup_source()
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
                entry._confirm(payment=self._wallet_payment())
            elif not entry:  # it had failed or expired: the money came after all
                self._wallet_credit_received(
                    _("Top-up via %(provider)s", provider=self.provider_id.name)
                )
        elif self.state in ("cancel", "error"):
            if entry.state == "pending":
                entry._cancel()
        elif self.state == "pending" and first_time and entry.state == "pending":
            entry._notify_pending()
        if self.wallet_topup_rule_id and self.state in ("done", "cancel", "error"):
            self.wallet_topup_rule_id._charge_ended(self)

    def _wallet_credit_received(self, description):
        """Credit what this transaction captured, booked as it is."""
        self.env["wallet.transaction"].sudo()._credit(
            self.partner_id,
            self.amount,
            kind="topup",
            company=self.company_id,
            payment_transaction_id=self.id,
            account_payment_id=self._wallet_payment().id,
            description=description,
        )

    def _create_payment(self, **extra_create_values):
        """Override of `account_payment`: a top-up is owed back to the customer,
        not earned.  Its payment credits the Customer Wallet liability instead
        of the receivable, so it can never be offered as an outstanding credit
        and spent a second time; the refund of a top-up takes the money back
        from that liability.

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
        """Override of `payment` to refund through the framework's own
        machinery, never beyond what the payment paid.

        The payment is locked first, so that two tabs, an RPC call with any
        amount, a cancelled order and a reversal of the same payment are
        counted together (``wallet.origin``), whatever paid it.  Refunding a
        top-up then sets the money aside in the wallet (see
        ``_create_child_transaction``), so that a refund of money already
        spent is refused before the provider is asked.  The wallet refunds to
        itself at once: its refund transaction is processed like a
        notification, which credits the wallet.
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
        """Override of `payment`: a refund of a top-up asked in Odoo holds its
        money in the wallet before the provider is asked."""
        child = super()._create_child_transaction(
            amount, is_refund=is_refund, **custom_create_values
        )
        if (
            is_refund
            and self.env.context.get("wallet_refund_request")
            and self._wallet_topup_source()
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
                self.env["wallet.origin"]._left(source, exclude=self), wallet.wallet_cash_balance
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
                entry._confirm(payment=self._wallet_payment())
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
        on_wallet = min(amount, wallet._cash_available())
        payment = self.with_context(wallet_amount=on_wallet)._wallet_payment()
        if on_wallet:
            Ledger._debit(
                self.partner_id,
                on_wallet,
                kind="refund",
                company=self.company_id,
                payment_transaction_id=self.id,
                account_payment_id=payment.id,
                description=_(
                    "Refund of %(ref)s by %(provider)s",
                    ref=self.source_transaction_id.reference,
                    provider=self.provider_id.name,
                ),
            )
        if self.currency_id.compare_amounts(on_wallet, amount) < 0:
            Ledger._schedule_manager_todo(
                self._wallet_topup_source().wallet_transaction_ids[:1],
                _(
                    "%(provider)s refunded %(amount)s of top-up %(ref)s, but the wallet held only"
                    " %(available)s: the difference is now on the customer's receivable.",
                    provider=self.provider_id.name,
                    amount=self.currency_id.format(amount),
                    ref=self.source_transaction_id.reference,
                    available=self.currency_id.format(on_wallet),
                ),
            )

    def _wallet_refund_to_wallet(self):
        """A refund of a wallet payment: the money goes back into the wallet, and
        its payment (Dr receivable / Cr Customer Wallet) is matched with what
        is still open of the refunded payment."""
        source = self.source_transaction_id
        Ledger = self.env["wallet.transaction"]
        spent = source.wallet_transaction_ids.filtered(
            lambda entry: entry.direction == "debit" and entry.state == "done"
        )
        promo = spent._promo_to_give_back(-self.amount)
        Ledger._credit(
            self.partner_id,
            -self.amount,
            kind="refund",
            company=self.company_id,
            promo=promo,
            payment_transaction_id=self.id,
            account_payment_id=self._wallet_payment(sum(promo.values())).id,
            origin_transaction_id=source.id,
            sale_order_id=source.sale_order_ids[:1].id,
            invoice_id=source.invoice_ids[:1].id,
            description=_(
                "Refund of %(documents)s",
                documents=", ".join(source._wallet_document().mapped("name")) or source.reference,
            ),
        )
        Ledger._reconcile_receivables(self.payment_id | source.payment_id)
        self._set_done()
        self._wallet_follow_promotions()
