# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging
import math

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_is_zero

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
    the aggregate (``wallet.balance``) and posts the accounting entry
    (``wallet_transaction_booking.py``), all in the caller's database
    transaction.  The ledger is a leaf: it never calls back into payment
    transactions, orders or invoices; their code calls it.  Nobody holds
    write access on this model: the service writes as superuser after its own
    checks, and ``write``/``unlink`` refuse any change a ledger must not
    allow, even then.
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
        never spend the same funds.  A payment transaction's caller takes the
        lock first and checks what its documents still owe under it, so two
        tabs or two routes can never pay one document twice.
        """
        company = company or self.env.company
        amount = self._check_amount(amount, company)
        wallet = self._lock_wallet(partner, company)
        if existing := self._find_live_entry(links, "debit"):
            return existing
        wallet._check_available(amount)
        entry = self._create_entry(wallet, amount, "debit", kind, pending, journal, links)
        if pending:
            wallet._add(held=amount)
        else:
            wallet._add(balance=-amount)
            entry._notify_customer(wallet)
        return entry

    def _confirm(self, journal=None, payment=None):
        """Pending → done: a top-up's money becomes available, a hold is
        captured; either is booked now: by ``payment`` (the payment that its
        payment transaction's caller made), else in ``journal``."""
        for entry in self:
            wallet = entry._lock_own_wallet()
            entry._check_pending()
            booking = entry._booking_values(journal, payment)
            entry.sudo().write({"state": "done", **booking})
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
