# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging
from datetime import timedelta

import pytz
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.tools import SQL

from ..const import PROMO_SOURCES

_logger = logging.getLogger(__name__)

EXPIRY_BATCH = 5000
WARNING_BATCH = 200

LOT_LINK = {"readonly": True, "index": "btree_not_null", "ondelete": "restrict"}


class WalletLot(models.Model):
    """A lot of promotional credit: one grant, cashback or bonus, or what a
    refund gave back of a lot, with its own expiry.

    A debit spends the lot that expires soonest first.  ``remaining`` and
    ``held`` are kept by the ledger, under the wallet's lock, as
    ``wallet.balance`` is: the lots of a wallet always sum to its promotional
    balance.  Nobody writes here but the ledger.
    """

    _name = "wallet.lot"
    _description = "Promotional Credit Lot"
    _order = "expiry_date asc nulls last, id"  # the order in which lots are spent
    _check_company_auto = True

    name = fields.Char("Reference", required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, readonly=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    source = fields.Selection(PROMO_SOURCES, required=True, readonly=True)
    entry_id = fields.Many2one("wallet.transaction", "Granted By", required=True, **LOT_LINK)
    amount = fields.Monetary("Granted", required=True, readonly=True)
    remaining = fields.Monetary(readonly=True, help="Not spent, expired or clawed back yet.")
    held = fields.Monetary(readonly=True, default=0.0, help="Set aside for a payment in progress.")
    expiry_date = fields.Date(readonly=True, index=True, help="Last day it can be spent.")
    state = fields.Selection(
        [("open", "Open"), ("expired", "Expired")],
        required=True,
        readonly=True,
        default="open",
        index=True,
    )
    sale_order_id = fields.Many2one("sale.order", "Earned By Order", **LOT_LINK)
    topup_transaction_id = fields.Many2one("payment.transaction", "Earned By Top-up", **LOT_LINK)
    returned_allocation_id = fields.Many2one(
        "wallet.allocation",
        "Gives Back",
        help="The spending of a lot that this lot gives back (a refund, a cancellation).",
        **LOT_LINK,
    )
    clawed_back = fields.Monetary(
        readonly=True,
        default=0.0,
        help="What was clawed back of it, or could not be, already spent.",
    )
    expiry_warned = fields.Boolean(readonly=True)

    _sql_constraints = [
        (
            "amounts_within_the_lot",
            "CHECK(amount > 0 AND remaining >= 0 AND held >= 0 AND held <= remaining"
            " AND remaining <= amount)",
            "A lot never spends more than it was granted.",
        ),
    ]

    def init(self):
        # A paid order earns its cashback once, a top-up its bonus once.
        for column, source in (("sale_order_id", "cashback"), ("topup_transaction_id", "bonus")):
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX IF NOT EXISTS %s ON wallet_lot (%s) WHERE source = %s",
                    SQL.identifier(f"wallet_lot_one_{source}"),
                    SQL.identifier(column),
                    source,
                )
            )
        # The expiry cron finds what expires without reading the other lots.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS wallet_lot_open_expiry"
            " ON wallet_lot (expiry_date) WHERE state = 'open' AND remaining > 0"
        )

    @api.model
    def _owner_today(self, partner):
        """Today, in the customer's own time zone: a lot expiring on the 31st
        can be spent until midnight where the customer is."""
        tz = pytz.timezone(partner.tz or "UTC")
        return fields.Datetime.now().replace(tzinfo=pytz.utc).astimezone(tz).date()

    def _spendable(self, partner, company):
        """The lots ``partner`` can spend now in ``company``, soonest to expire
        first; the caller holds the wallet's lock."""
        today = self._owner_today(partner)
        return (
            self.sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "open"),
                    ("remaining", ">", 0),
                    "|",
                    ("expiry_date", "=", False),
                    ("expiry_date", ">=", today),
                ]
            )
            .filtered(lambda lot: not lot.currency_id.is_zero(lot.remaining - lot.held))
        )

    @api.model
    def _move_each(self, changes, remaining=0, held=0):
        """Move several lots at once, in one statement: each lot of
        ``changes`` ({lot: amount}) by its amount, times ``remaining`` and
        ``held`` (1, -1 or 0) on each column; the caller holds the wallet's
        lock (a debit's allocations, taken, held, captured or released)."""
        if not changes:
            return
        values = SQL(", ").join(SQL("(%s, %s)", lot.id, amount) for lot, amount in changes.items())
        self.env.cr.execute(
            SQL(
                """
                UPDATE wallet_lot lot
                   SET remaining = lot.remaining + %(remaining)s * change.amount,
                       held = lot.held + %(held)s * change.amount
                  FROM (VALUES %(values)s) AS change(id, amount)
                 WHERE lot.id = change.id
                """,
                remaining=remaining,
                held=held,
                values=values,
            )
        )
        self.browse([lot.id for lot in changes]).invalidate_recordset(["remaining", "held"])

    def _record_claw_back(self, amount):
        """Count ``amount`` as clawed back of this lot (taken back, or already
        spent and left an expense): later claw-backs take only the rest."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "UPDATE wallet_lot SET clawed_back = clawed_back + %s WHERE id = %s",
                amount,
                self.id,
            )
        )
        self.invalidate_recordset(["clawed_back"])

    # ------------------------------------------------------------------
    # Expiry
    # ------------------------------------------------------------------

    @api.model
    def _cron_expire(self):
        """Expire what is left of every lot past its last day: one batch of
        wallets per call (the cron runs again at once while a batch was
        full).  Returns the number of wallets done.

        The wallets are locked ``SKIP LOCKED``: a second worker running at
        the same time takes other wallets, or none, and never expires a lot
        twice (each lot's state is read again under its wallet's lock).  The
        lots are found through a partial index of the open lots with an
        expiry: the cost grows with what expires, not with the ledger.
        """
        try:
            wallets = self._lock_wallets_to_expire()
        except SerializationFailure:
            # Another worker expired these wallets since this one began: its
            # work is done; anything left waits for the next run.
            self.env.cr.rollback()
            _logger.info("Wallet expiry: wallets taken by another worker, left to the next run")
            return 0
        if wallets:
            self.env["wallet.transaction"]._expire_lots(self._due(wallets))
        self.env["ir.cron"]._notify_progress(
            done=len(wallets), remaining=int(len(wallets) == EXPIRY_BATCH)
        )
        return len(wallets)

    @api.model
    def _lock_wallets_to_expire(self):
        """Lock a batch of wallets that have a lot past its expiry date (in
        the earliest time zone), skipping wallets another worker holds."""
        horizon = fields.Date.today() + timedelta(days=1)
        self.env.cr.execute(
            SQL(
                """
                SELECT wallet.id FROM wallet_balance wallet
                 WHERE EXISTS (SELECT 1 FROM wallet_lot lot
                                WHERE lot.partner_id = wallet.partner_id
                                  AND lot.company_id = wallet.company_id
                                  AND lot.state = 'open' AND lot.remaining > 0
                                  AND lot.held = 0 AND lot.expiry_date < %s)
                 ORDER BY wallet.id
                 LIMIT %s
                   FOR NO KEY UPDATE SKIP LOCKED
                """,
                horizon,
                EXPIRY_BATCH,
            ),
            log_exceptions=False,
        )
        return self.env["wallet.balance"].sudo().browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _due(self, wallets):
        """The lots of ``wallets`` (locked) whose last day is over where their
        customer is."""
        horizon = fields.Date.today() + timedelta(days=1)
        lots = self.sudo().search(
            [
                ("partner_id", "in", wallets.partner_id.ids),
                ("state", "=", "open"),
                ("remaining", ">", 0),
                ("held", "=", 0),
                ("expiry_date", "<", horizon),
            ]
        )
        today = {partner: self._owner_today(partner) for partner in lots.partner_id}
        return lots.filtered(lambda lot: lot.expiry_date < today[lot.partner_id])

    # ------------------------------------------------------------------
    # Expiry warnings
    # ------------------------------------------------------------------

    @api.model
    def _cron_warn_expiry(self):
        """Warn each customer, once per lot, that promotional credit expires
        within their company's warning delay."""
        template = self.env.ref("website_wallet.mail_template_wallet_promo_expiring")
        for company in (
            self.env["res.company"].sudo().search([("wallet_expiry_warning_days", ">", 0)])
        ):
            lots = self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "open"),
                    ("remaining", ">", 0),
                    ("expiry_warned", "=", False),
                    (
                        "expiry_date",
                        "<=",
                        fields.Date.today() + timedelta(days=company.wallet_expiry_warning_days),
                    ),
                ],
                limit=WARNING_BATCH,
            )
            for lot in lots:
                try:
                    with self.env.cr.savepoint():
                        template.send_mail(lot.id)
                except Exception:  # one email never blocks the others
                    _logger.warning("Wallet expiry warning of %s failed", lot.name, exc_info=True)
            lots.write({"expiry_warned": True})
