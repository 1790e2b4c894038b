# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging
import math

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_is_zero

from ..const import SPLIT_HOLD_EXPIRY, TOPUP_DRAFT_EXPIRY

_logger = logging.getLogger(__name__)

# Once an entry is done or cancelled none of these may change; on a pending
# entry only the move to done/cancel and the links of its posting may.
POSTING_FIELDS = {"state", "move_id", "account_payment_id"}
BOOKING_LINK = {
    "readonly": True,
    "index": "btree_not_null",
    "ondelete": "restrict",
    "check_company": True,
}


class WalletTransaction(models.Model):
    """One immutable entry of the wallet ledger.

    The ledger service is the set of ``_credit``/``_debit``/``_confirm``/
    ``_cancel``/``_reverse`` methods below: they are the only code that moves
    money.  Each takes the wallet's row lock, checks, writes the entry, moves
    the aggregate (``wallet.balance``) and posts the accounting entry, all in
    the caller's database transaction.  Nobody holds write access on this
    model: the service writes as superuser after its own checks, and
    ``write``/``unlink`` refuse any change a ledger must not allow, even then.
    """

    _name = "wallet.transaction"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Wallet Transaction"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char("Reference", required=True, readonly=True, copy=False, index="trigram")
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        help="The commercial partner who owns the wallet.",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    amount = fields.Monetary(required=True, readonly=True)
    direction = fields.Selection(
        [("credit", "Credit"), ("debit", "Debit")], required=True, readonly=True
    )
    kind = fields.Selection(
        [
            ("topup", "Top-up"),
            ("payment", "Payment"),
            ("refund", "Refund"),
            ("adjustment", "Manual Adjustment"),
            ("withdrawal", "Withdrawal"),
            ("reversal", "Reversal"),
        ],
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Done"), ("cancel", "Cancelled")],
        required=True,
        readonly=True,
        default="pending",
        index=True,
    )
    description = fields.Char(readonly=True)
    credit = fields.Monetary(compute="_compute_credit_debit", store=True, precompute=True)
    debit = fields.Monetary(compute="_compute_credit_debit", store=True, precompute=True)
    payment_transaction_id = fields.Many2one(
        "payment.transaction", readonly=True, index="btree_not_null", ondelete="restrict"
    )
    sale_order_id = fields.Many2one("sale.order", "Order", readonly=True, ondelete="restrict")
    invoice_id = fields.Many2one(
        "account.move", readonly=True, ondelete="restrict", check_company=True
    )
    # The booking of a done entry: its payment (when it has one) and journal entry.
    move_id = fields.Many2one("account.move", "Journal Entry", **BOOKING_LINK)
    account_payment_id = fields.Many2one("account.payment", "Payment", **BOOKING_LINK)
    # Statements and the liability roll-forward date an entry as the books do:
    # a top-up confirmed days later, or a reversal, on its posting's date.
    accounting_date = fields.Date(
        "Accounting Date",
        related="move_id.date",
        store=True,
        precompute=True,
        index=True,
        readonly=True,
    )
    counterpart_account_id = fields.Many2one(
        "account.account",
        readonly=True,
        ondelete="restrict",
        check_company=True,
        help="The account a manual adjustment is booked against.",
    )
    reversed_entry_id = fields.Many2one(
        "wallet.transaction",
        "Reversal Of",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    reversal_entry_ids = fields.One2many("wallet.transaction", "reversed_entry_id", "Reversed By")
    # What a give-back gives back (see wallet.origin): a payment, or a credit note.
    origin_transaction_id = fields.Many2one(
        "payment.transaction",
        "Gives Back Payment",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The payment that this credit gives back (a refund, a cancelled order, a reversal).",
    )
    origin_move_id = fields.Many2one(
        "account.move",
        "Gives Back Credit Note",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="The customer credit note that this credit settles.",
    )

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "A wallet transaction amount must be positive."),
        (
            "reversal_unique",
            "UNIQUE(reversed_entry_id)",
            "This wallet transaction has already been reversed.",
        ),
    ]

    def init(self):
        # A payment transaction credits or debits a wallet once, even when its
        # notification is processed twice or by two workers at once.  A
        # cancelled entry (an expired or failed top-up, a released hold) does
        # not count: a payment that succeeds after it still moves the money.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS wallet_transaction_live_payment_transaction_uniq
                ON wallet_transaction (payment_transaction_id, direction)
             WHERE state != 'cancel'
            """
        )
        # A refund to the wallet names what it gives back (wallet.origin).
        # NOT VALID: entries booked before origins were recorded stay as they
        # were; every new entry is checked.
        self.env.cr.execute(
            "SELECT 1 FROM pg_constraint WHERE conname = 'wallet_transaction_refund_has_origin'"
        )
        if not self.env.cr.fetchone():
            self.env.cr.execute(
                """
                ALTER TABLE wallet_transaction
                  ADD CONSTRAINT wallet_transaction_refund_has_origin
                CHECK (kind != 'refund' OR direction != 'credit'
                       OR origin_transaction_id IS NOT NULL OR origin_move_id IS NOT NULL)
                NOT VALID
                """
            )

    @api.depends("amount", "direction")
    def _compute_credit_debit(self):
        for entry in self:
            entry.credit = entry.amount if entry.direction == "credit" else 0.0
            entry.debit = entry.amount if entry.direction == "debit" else 0.0

    # ------------------------------------------------------------------
    # Immutability
    # ------------------------------------------------------------------

    def write(self, vals):
        self.check_access("write")  # who may write at all comes first
        changed = set(vals)
        for entry in self:
            if entry.state != "pending" or not changed <= POSTING_FIELDS:
                raise UserError(
                    _(
                        "Wallet transaction %(ref)s is part of the ledger and cannot be"
                        " modified. Correct it with a reversal.",
                        ref=entry.name,
                    )
                )
        if "state" in vals and vals["state"] not in ("done", "cancel"):
            raise UserError(_("A pending wallet transaction can only become done or cancelled."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("Wallet transactions are never deleted. Correct them with a reversal."))

    @property
    def _mail_post_access(self):
        """Staff annotate entries with notes and activities (reading them is
        enough); customers read their ledger but never post on it."""
        return "write" if self.env.user.share else "read"

    # ------------------------------------------------------------------
    # Ledger service
    # ------------------------------------------------------------------

    @api.model
    def _credit(
        self, partner, amount, kind="topup", company=None, journal=None, pending=False, **links
    ):
        """Add money to ``partner``'s wallet in ``company``, or announce a pending top-up.

        ``links`` are the entry's other fields (description, payment transaction,
        order, invoice, counterpart account...).  A pending entry moves nothing
        until ``_confirm``; a done one is booked at once, in ``journal`` when
        nothing else tells where the money was received.
        """
        company = company or self.env.company
        amount = self._check_amount(amount, company)
        self._check_origin(kind, amount, links)
        wallet = self._lock_wallet(partner, company)
        if existing := self._find_live_entry(links, "credit"):
            return existing
        entry = self._create_entry(wallet, amount, "credit", kind, pending, journal, links)
        wallet._add(**{"pending" if pending else "balance": amount})
        if not pending:
            entry._notify_customer(wallet)
        return entry

    @api.model
    def _debit(
        self, partner, amount, kind="payment", company=None, journal=None, pending=False, **links
    ):
        """Take money from ``partner``'s wallet in ``company``, atomically; or,
        ``pending``, hold it: the money is set aside at once (it is no longer
        available) and booked only when ``_confirm`` captures the hold.

        The wallet row stays locked until the transaction ends, so a second
        debit waits for this one and then sees the lowered balance; it can
        never spend the same funds.  What a payment transaction pays for is
        checked again under that lock, so two tabs or two routes can never pay
        one document twice.
        """
        company = company or self.env.company
        amount = self._check_amount(amount, company)
        wallet = self._lock_wallet(partner, company)
        if existing := self._find_live_entry(links, "debit"):
            return existing
        if transaction_id := links.get("payment_transaction_id"):
            self.env["payment.transaction"].browse(transaction_id).sudo()._wallet_check_debit(
                amount
            )
        wallet._check_available(amount)
        entry = self._create_entry(wallet, amount, "debit", kind, pending, journal, links)
        if pending:
            wallet._add(held=amount)
        else:
            wallet._add(balance=-amount)
            entry._notify_customer(wallet)
        return entry

    def _confirm(self, journal=None):
        """Pending → done: a top-up's money becomes available, a hold is
        captured; either is booked now."""
        for entry in self:
            wallet = entry._lock_own_wallet()
            entry._check_pending()
            entry.sudo().write({"state": "done", **entry._booking_values(journal)})
            entry._log_movement("confirmed")
            if entry.direction == "credit":
                wallet._add(balance=entry.amount, pending=-entry.amount)
            else:
                wallet._add(balance=-entry.amount, held=-entry.amount)
            entry._close_activities()
            entry._notify_customer(wallet)
        return True

    def _cancel(self, notify=True):
        """Pending → cancelled: the announced top-up will not arrive, or the
        held money is released.

        ``notify=False`` when what replaces it is told on its own (a top-up
        captured in parts: each part is credited, with its email).
        """
        for entry in self:
            wallet = entry._lock_own_wallet()
            entry._check_pending()
            entry.sudo().write({"state": "cancel"})
            entry._log_movement("cancelled")
            if entry.direction == "credit":
                wallet._add(pending=-entry.amount)
            else:
                wallet._add(held=-entry.amount)
            entry._close_activities()
            if notify:
                entry._notify_customer(wallet)
        return True

    def _reverse(self, reason):
        """Correct a done entry with a new, opposite one that points at it.

        Reversing a credit is a debit: it is refused when the money has
        already been spent, so a correction never makes a wallet negative.
        """
        self.ensure_one()
        if self.state != "done":
            raise UserError(_("Only a done wallet transaction can be reversed."))
        if self.kind == "reversal":
            raise UserError(_("A reversal cannot itself be reversed; record a new entry."))
        if self.reversal_entry_ids:
            raise UserError(
                _(
                    "%(ref)s has already been reversed by %(reversal)s.",
                    ref=self.name,
                    reversal=self.reversal_entry_ids[:1].name,
                )
            )
        ledger = self.env["wallet.transaction"]
        method = ledger._debit if self.direction == "credit" else ledger._credit
        links = {}
        if self.direction == "debit" and self.kind == "payment" and self.payment_transaction_id:
            # Reversing a wallet payment gives the payment back: never
            # more than its refunds have left of it.
            links["origin_transaction_id"] = self.payment_transaction_id.id
        return method(
            self.partner_id,
            self.amount,
            kind="reversal",
            company=self.company_id,
            description=_("Reversal of %(ref)s: %(reason)s", ref=self.name, reason=reason),
            reversed_entry_id=self.id,
            **links,
        )

    # ------------------------------------------------------------------
    # Ledger internals
    # ------------------------------------------------------------------

    @api.model
    def _check_amount(self, amount, company):
        """Return ``amount`` rounded to the wallet's currency, or refuse it."""
        currency = company.currency_id
        if not isinstance(amount, int | float) or not math.isfinite(amount):
            raise ValidationError(_("The wallet amount must be a number."))
        if currency.compare_amounts(amount, 0.0) <= 0:
            raise ValidationError(_("The wallet amount must be greater than zero."))
        rounded = currency.round(amount)
        if not float_is_zero(amount - rounded, precision_digits=10):
            raise ValidationError(
                _(
                    "The wallet amount %(amount)s has more decimals than %(currency)s allows.",
                    amount=amount,
                    currency=currency.name,
                )
            )
        return rounded

    @api.model
    def _check_origin(self, kind, amount, links):
        """A credit that gives money back names its origin, and gives back no
        more than is left of it (``wallet.origin``, which locks the origin
        before the wallet is locked)."""
        origin = self.env["payment.transaction"].browse(links.get("origin_transaction_id"))
        origin = origin or self.env["account.move"].browse(links.get("origin_move_id"))
        if kind == "refund" and not origin:
            raise ValidationError(
                _("A refund to the wallet names what it gives back: a payment or a credit note.")
            )
        if origin:
            self.env["wallet.origin"]._check_give_back(
                origin,
                amount,
                exclude=self.env["payment.transaction"].browse(links.get("payment_transaction_id")),
            )

    @api.model
    def _lock_wallet(self, partner, company):
        """The wallet of ``partner`` in ``company``, locked until the end of the
        database transaction."""
        return self.env["wallet.balance"]._lock(partner.commercial_partner_id, company)

    @api.model
    def _create_entry(self, wallet, amount, direction, kind, pending, journal, links):
        unknown = set(links) - set(self._fields)
        if unknown:
            raise TypeError(f"unknown wallet transaction values: {sorted(unknown)}")
        vals = {
            **links,
            "name": links.get("name") or self._next_reference(wallet.company_id),
            "partner_id": wallet.partner_id.id,
            "company_id": wallet.company_id.id,
            "currency_id": wallet.currency_id.id,
            "amount": amount,
            "direction": direction,
            "kind": kind,
            "state": "pending" if pending else "done",
        }
        if not pending:
            vals.update(self.new(vals)._booking_values(journal))
        # The chatter is for what people do (activities, notes), not a copy of
        # the ledger: no creation message, no followers, nothing tracked.
        entry = self.sudo().with_context(tracking_disable=True).create(vals)
        entry._log_movement("created")
        return entry

    def _log_movement(self, what):
        """One INFO line per money movement, as payment providers log each
        notification: the entry, its amount, its wallet and its state."""
        _logger.info(
            "Wallet entry %s %s: %s %s %s %s of partner %s (company %s), %s, by user %s",
            self.name,
            what,
            self.kind,
            self.direction,
            self.amount,
            self.currency_id.name,
            self.partner_id.id,
            self.company_id.id,
            self.state,
            self.env.uid,
        )

    @api.model
    def _find_live_entry(self, links, direction):
        """A payment transaction moves money once per direction: processing it
        again (a replayed notification, a refreshed page) returns the entry it
        made.  A cancelled entry does not count, so a payment that succeeds
        after its top-up was cancelled or expired still credits.  Called under
        the wallet lock; a partial unique index is the backstop should two
        workers race past it."""
        payment_transaction = links.get("payment_transaction_id")
        if not payment_transaction:
            return self.browse()
        return (
            self.sudo()
            .search(
                [
                    ("payment_transaction_id", "=", payment_transaction),
                    ("direction", "=", direction),
                    ("state", "!=", "cancel"),
                ],
                limit=1,
            )
            .sudo(False)
        )

    @api.model
    def _next_reference(self, company):
        """The next ledger reference; a top-up's payment transaction takes it
        as its own reference."""
        sequence = self.env["ir.sequence"].sudo().with_company(company)
        return sequence.next_by_code("wallet.transaction")

    def _lock_own_wallet(self):
        return self._lock_wallet(self.partner_id, self.company_id)

    def _check_pending(self):
        # Read again under the lock: another worker may have moved it already.
        self.invalidate_recordset(["state"])
        if self.state != "pending":
            raise UserError(
                _(
                    "Wallet transaction %(ref)s is %(state)s; only a pending one can be"
                    " confirmed or cancelled.",
                    ref=self.name,
                    state=self._state_label(),
                )
            )

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
        """Money waiting on a payment the shopper abandoned stops being tied up.

        A card top-up still a draft after ``TOPUP_DRAFT_EXPIRY`` no longer
        counts as pending; the wallet's part of a split whose other payment is
        still a draft after ``SPLIT_HOLD_EXPIRY`` is released.  The payment
        transactions are left as they are: should one succeed after all, its
        notification credits the wallet, or takes the wallet's part again.
        """
        now = fields.Datetime.now()
        self.sudo().search(
            [
                ("state", "=", "pending"),
                ("kind", "=", "topup"),
                ("payment_transaction_id.state", "=", "draft"),
                ("payment_transaction_id.create_date", "<", now - TOPUP_DRAFT_EXPIRY),
            ]
        )._cancel()
        self.env["payment.transaction"].sudo().search(
            [
                ("state", "=", "draft"),
                ("wallet_split_transaction_id.state", "=", "draft"),
                ("create_date", "<", now - SPLIT_HOLD_EXPIRY),
            ]
        )._wallet_release_split()

    # ------------------------------------------------------------------
    # Accounting: every done entry is booked on the Customer Wallet account
    # ------------------------------------------------------------------

    def _booking_values(self, journal=None):
        """Book an entry about to become done, and return the values that link
        the entry to its booking (payment, journal entry).

        ``self`` may be a draft (``new``) record: the entry is created with its
        posting, so a done entry never changes afterwards.  Money moved by a
        payment transaction is booked by the payment framework's own
        ``_create_payment``, so that destination, early-payment discounts,
        installments and reconciliation behave exactly as for any provider.
        """
        self.ensure_one()
        if transaction := self.payment_transaction_id.sudo():
            payment = transaction.payment_id
            payment = payment or transaction.with_company(self.company_id)._create_payment()
            return self._link_payment(payment)
        if payment := self.account_payment_id.sudo():  # registered by hand in the Wallet journal
            if payment.move_id.state != "posted":
                payment.action_post()
            return self._link_payment(payment)
        account, wallet_journal = self.company_id._wallet_accounting()
        if self.kind in ("topup", "withdrawal"):
            self._check_bank_journal(journal, wallet_journal)
            payment_type = "inbound" if self.kind == "topup" else "outbound"
            payment = self._post_payment(journal, payment_type, account)
        elif self.kind in ("payment", "refund"):
            payment_type = "inbound" if self.direction == "debit" else "outbound"
            payment = self._post_payment(wallet_journal, payment_type, self._receivable_account())
            self._reconcile_invoices(payment, self.invoice_id)
        elif self.kind == "adjustment":
            return {"move_id": self._post_adjustment(wallet_journal, account).id}
        else:
            return {"move_id": self._post_reversal().id}
        return {"account_payment_id": payment.id, "move_id": payment.move_id.id}

    @api.model
    def _check_bank_journal(self, journal, wallet_journal):
        """Money received or sent by hand moves through a bank or cash journal:
        the Wallet journal would book it on the Customer Wallet account twice,
        and the wallet would lose money that never left."""
        if not journal:
            raise UserError(_("Choose the journal in which the money was received or sent."))
        if journal == wallet_journal or journal.type not in ("bank", "cash"):
            raise UserError(
                _(
                    "%(journal)s cannot receive or pay out wallet money: choose a bank or"
                    " cash journal other than the Wallet journal.",
                    journal=journal.display_name,
                )
            )

    def _link_payment(self, payment):
        """Link a payment made by someone else (the payment framework, a person
        registering it) once it is known to book exactly this entry."""
        self._check_booked_on_wallet_account(payment.move_id)
        return {"account_payment_id": payment.id, "move_id": payment.move_id.id}

    def _check_booked_on_wallet_account(self, move):
        """The books agree with the ledger by construction: a posting made by
        the payment framework must move the customer's Customer Wallet balance
        by exactly this entry.  A provider or journal set up otherwise (a
        method line booking elsewhere) is refused before any money moves."""
        account = self.company_id.wallet_account_id
        booked = sum(
            move.line_ids.filtered(
                lambda line: line.account_id == account and line.partner_id == self.partner_id
            ).mapped("balance")
        )
        expected = -self.amount if self.direction == "credit" else self.amount
        if not self.currency_id.is_zero(booked - expected):
            raise UserError(
                _(
                    "%(move)s books %(booked)s on the Customer Wallet account instead of"
                    " %(expected)s: check the journal and payment method of %(provider)s.",
                    move=move.display_name,
                    booked=self.currency_id.format(booked),
                    expected=self.currency_id.format(expected),
                    provider=self.payment_transaction_id.provider_id.display_name,
                )
            )

    def _post_payment(self, journal, payment_type, destination):
        """Money moved without a payment transaction (a top-up received by hand,
        a payment or a refund made from code): an ``account.payment`` of the
        given journal.  Top-ups: Dr outstanding receipts / Cr Customer Wallet;
        wallet payments: Dr Customer Wallet / Cr receivable (refunds the
        reverse), since the Wallet journal's method lines book on the Customer
        Wallet."""
        method_lines = (
            journal.inbound_payment_method_line_ids
            if payment_type == "inbound"
            else journal.outbound_payment_method_line_ids
        )
        payment = (
            self.env["account.payment"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "payment_type": payment_type,
                    "partner_type": "customer",
                    "partner_id": self.partner_id.id,
                    "amount": self.amount,
                    "currency_id": self.currency_id.id,
                    "journal_id": journal.id,
                    "company_id": self.company_id.id,
                    "payment_method_line_id": method_lines[:1].id,
                    "destination_account_id": destination.id,
                    "memo": self._posting_label(),
                }
            )
        )
        payment.action_post()
        return payment

    def _receivable_account(self):
        term_lines = self.invoice_id.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        return (
            term_lines[:1].account_id
            or self.partner_id.with_company(self.company_id).property_account_receivable_id
        )

    @api.model
    def _reconcile_invoices(self, payment, invoices):
        """Match a wallet payment with the invoices it pays (as account_payment does)."""
        invoices = invoices.filtered(lambda invoice: invoice.state == "posted")
        if not invoices:
            return
        (payment.move_id.line_ids + invoices.line_ids).filtered(
            lambda line: line.account_id == payment.destination_account_id and not line.reconciled
        ).reconcile()

    @api.model
    def _reconcile_receivables(self, payments):
        """Match what the given payments leave open on the receivable (a wallet
        payment and its refund, say), as far as they match."""
        lines = payments.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )
        if (
            len(lines.account_id) == 1
            and len(lines.partner_id) == 1
            and (lines.filtered("debit") and lines.filtered("credit"))
        ):
            lines.reconcile()

    def _post_adjustment(self, journal, account):
        """Credit: Dr counterpart / Cr Customer Wallet; debit the reverse."""
        if not self.counterpart_account_id:
            raise UserError(_("A manual adjustment needs a counterpart account."))
        sign = -1 if self.direction == "credit" else 1
        label = self._posting_label()
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "partner_id": self.partner_id.id,
                    "ref": label,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": account_id.id,
                                "partner_id": self.partner_id.id,
                                "name": label,
                                "balance": line_sign * self.amount,
                            }
                        )
                        for account_id, line_sign in (
                            (account, sign),
                            (self.counterpart_account_id, -sign),
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _post_reversal(self):
        """The reverse of the original posting.  When the original paid an
        invoice (or refunded a credit note), it is taken off that document and
        matched with its reversal, so the document is open again and the money
        can never be offered twice."""
        original = self.reversed_entry_id.move_id.sudo()
        reopens_document = self.reversed_entry_id.kind in ("payment", "refund")
        reversal = original._reverse_moves(
            [{"ref": self._posting_label(), "date": fields.Date.context_today(self)}],
            cancel=reopens_document,
        )
        if reversal.state == "draft":
            reversal.action_post()
        return reversal

    def _posting_label(self):
        return " - ".join(filter(None, [self.name, self.description]))

    # ------------------------------------------------------------------
    # Notifications
    # ------------------------------------------------------------------

    def _notify_customer(self, wallet):
        """Queue the one email that tells the customer what just happened; it is
        rendered and sent after the commit (``wallet.notification``), and
        states what ``wallet`` (locked, so exact) has available now.

        Called by the ledger on each change, and never when a replayed
        notification finds the entry already made, so no event mails twice.
        """
        self.ensure_one()
        if self.direction == "debit" and self.state != "done":
            return  # a hold, or a released one, has taken nothing yet
        if self.state == "cancel":
            template = "mail_template_wallet_topup_cancelled"
        elif self.state == "pending":
            template = "mail_template_wallet_topup_pending"
        elif self.kind in ("adjustment", "reversal"):
            template = "mail_template_wallet_adjustment"
        elif self.direction == "debit" and self.kind in ("refund", "withdrawal"):
            template = "mail_template_wallet_withdrawn"
        elif self.direction == "debit":
            template = "mail_template_wallet_payment"
        else:
            template = "mail_template_wallet_credited"
        self.env["wallet.notification"]._enqueue(self, template, wallet._available())

    def _notify_pending(self):
        """A top-up now waits for money the merchant must confirm: tell the
        customer how to pay, and give each wallet manager a to-do."""
        self.ensure_one()
        self._notify_customer(self._lock_own_wallet())
        managers = self.env.ref("website_wallet.group_wallet_manager").sudo().users
        for manager in managers.filtered(lambda user: not user.share and user.active):
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Confirm top-up %(ref)s when the money arrives", ref=self.name),
                user_id=manager.id,
            )

    def _close_activities(self):
        """A settled top-up needs no more follow-up: its managers' to-dos are done."""
        self.sudo().activity_feedback(
            ["mail.mail_activity_data_todo"],
            feedback=_("%(ref)s is %(state)s.", ref=self.name, state=self._state_label()),
        )

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _wallet_recipient(self):
        """The person who acted, when known, rather than the company they work for."""
        self.ensure_one()
        return (
            self.payment_transaction_id.partner_id
            or self.invoice_id.partner_id
            or self.sale_order_id.partner_id
            or self.partner_id
        )

    def _wallet_balance_now(self):
        """The balance an email states: the one the event left when the email
        was queued (see ``wallet.notification``), else the current one."""
        self.ensure_one()
        if "wallet_balance_after" in self.env.context:
            return self.env.context["wallet_balance_after"]
        return self.partner_id.sudo().with_company(self.company_id).wallet_balance

    # ------------------------------------------------------------------
    # Portal history
    # ------------------------------------------------------------------

    def _signed_amount(self):
        if self.state != "done":
            return 0.0
        return self.amount if self.direction == "credit" else -self.amount

    @api.model
    def _signed_sum_of_newest(self, domain, count):
        """What the ``count`` newest entries of ``domain`` moved, in one query."""
        if not count:
            return 0.0
        query = self._search(domain, order=self._order, limit=count)
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(CASE WHEN direction = 'credit' THEN amount ELSE -amount END), 0)
                  FROM wallet_transaction
                 WHERE state = 'done' AND id IN %s
                """,
                query.subselect(),
            )
        )
        return self.env.cr.fetchone()[0]

    def _portal_rows(self, balance_at_top):
        """The entries (newest first) with the balance after each, and a link to
        the order or invoice when the current user may open it."""
        rows, balance = [], balance_at_top
        for entry in self:
            document = entry.sudo().invoice_id or entry.sudo().sale_order_id
            visible = document and document.with_env(self.env).has_access("read")
            rows.append(
                {
                    "entry": entry,
                    "balance": balance,
                    "document_url": visible and document.get_portal_url(),
                }
            )
            balance -= entry._signed_amount()
        return rows

    # ------------------------------------------------------------------
    # Consistency check
    # ------------------------------------------------------------------

    @api.model
    def _check_ledger(self, companies=None):
        """Recompute every wallet (of ``companies``, else of all) from the
        ledger and its books.

        Returns one line per difference between the ledger, the aggregate
        and the Customer Wallet account; an empty list means all agree.
        """
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH ledger AS (
                    SELECT partner_id, company_id,
                           SUM(CASE WHEN state = 'done' AND direction = 'credit' THEN amount
                                    WHEN state = 'done' AND direction = 'debit' THEN -amount
                                    ELSE 0 END) AS balance,
                           SUM(CASE WHEN state = 'pending' AND direction = 'credit' THEN amount
                                    ELSE 0 END) AS pending,
                           SUM(CASE WHEN state = 'pending' AND direction = 'debit' THEN amount
                                    ELSE 0 END) AS held
                      FROM wallet_transaction
                  GROUP BY partner_id, company_id
                ), books AS (
                    SELECT line.partner_id, line.company_id, -SUM(line.balance) AS balance
                      FROM account_move_line line
                      JOIN res_company company ON company.id = line.company_id
                     WHERE line.account_id = company.wallet_account_id
                       AND line.parent_state = 'posted'
                  GROUP BY line.partner_id, line.company_id
                )
                SELECT COALESCE(w.partner_id, l.partner_id, b.partner_id),
                       COALESCE(w.company_id, l.company_id, b.company_id),
                       COALESCE(l.balance, 0), COALESCE(l.pending, 0), COALESCE(l.held, 0),
                       COALESCE(w.balance, 0), COALESCE(w.pending, 0), COALESCE(w.held, 0),
                       COALESCE(b.balance, 0)
                  FROM wallet_balance w
             FULL JOIN ledger l
                    ON l.partner_id = w.partner_id AND l.company_id = w.company_id
             FULL JOIN books b
                    ON b.partner_id = COALESCE(w.partner_id, l.partner_id)
                   AND b.company_id = COALESCE(w.company_id, l.company_id)
                 WHERE %s
                """,
                SQL(
                    "COALESCE(w.company_id, l.company_id, b.company_id) = ANY(%s)",
                    companies.ids,
                )
                if companies
                else SQL("TRUE"),
            )
        )
        problems = []
        for partner_id, company_id, *figures in self.env.cr.fetchall():
            company = self.env["res.company"].browse(company_id)
            ledger, pending, held, aggregate, aggregate_pending, aggregate_held, books = figures
            if any(
                not company.currency_id.is_zero(a - b)
                for a, b in (
                    (ledger, aggregate),
                    (pending, aggregate_pending),
                    (held, aggregate_held),
                    (ledger, books),
                )
            ):
                problems.append(
                    _(
                        "%(partner)s (%(company)s): ledger %(ledger)s, pending %(pending)s,"
                        " held %(held)s; aggregate %(aggregate)s, pending"
                        " %(aggregate_pending)s, held %(aggregate_held)s; Customer Wallet"
                        " account %(books)s",
                        partner=self.env["res.partner"].browse(partner_id).display_name,
                        company=company.name,
                        ledger=ledger,
                        pending=pending,
                        held=held,
                        aggregate=aggregate,
                        aggregate_pending=aggregate_pending,
                        aggregate_held=aggregate_held,
                        books=books,
                    )
                )
        return problems

    @api.model
    def action_check_ledger(self):
        self._check_manager()  # the check lists every customer's wallet
        problems = self._check_ledger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Wallet ledger check"),
                "message": "\n".join(problems)
                or _("Every wallet agrees with its ledger and with the Customer Wallet account."),
                "type": "danger" if problems else "success",
                "sticky": bool(problems),
            },
        }
