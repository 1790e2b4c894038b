# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import UserError

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
            ("grant", "Promotional Grant"),
            ("cashback", "Cashback"),
            ("bonus", "Top-up Bonus"),
            ("expiry", "Expiry"),
            ("clawback", "Claw-back"),
        ],
        required=True,
        readonly=True,
    )
    # Two funds: cash, paid by the customer, and promotional credit, granted
    # by the shop.  An entry's promotional part is in its lots (a credit) or
    # its allocations (a debit); the rest is cash.
    promo_amount = fields.Monetary("Promotional Part", readonly=True, default=0.0)
    fund = fields.Selection(
        [("cash", "Cash"), ("promo", "Promotional"), ("mixed", "Cash and Promotional")],
        compute="_compute_fund",
        store=True,
        precompute=True,
    )
    lot_ids = fields.One2many("wallet.lot", "entry_id", "Promotional Lots", readonly=True)
    allocation_ids = fields.One2many(
        "wallet.allocation", "entry_id", "Promotional Credit Spent", readonly=True
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
            "promo_within_amount",
            "CHECK(promo_amount >= 0 AND promo_amount <= amount)",
            "The promotional part of an entry is part of its amount.",
        ),
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

    @api.depends("amount", "promo_amount")
    def _compute_fund(self):
        for entry in self:
            if entry.currency_id.is_zero(entry.promo_amount):
                entry.fund = "cash"
            elif entry.currency_id.is_zero(entry.amount - entry.promo_amount):
                entry.fund = "promo"
            else:
                entry.fund = "mixed"

    @api.depends("amount", "direction")
    def _compute_credit_debit(self):
        for entry in self:
            entry.credit = entry.amount if entry.direction == "credit" else 0.0
            entry.debit = entry.amount if entry.direction == "debit" else 0.0

    # ------------------------------------------------------------------
    # Immutability
    # ------------------------------------------------------------------

    def write(self, vals):
        """Override of `base`: a ledger entry never changes once done or
        cancelled, and a pending one only becomes done or cancelled."""
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
