# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging

from psycopg2.errors import SerializationFailure

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..const import WALLET_LOCK_ATTEMPTS

AMOUNT_FIELDS = ("balance", "pending", "held", "promo_balance", "promo_held")
# The partner's fields computed from this row.
PARTNER_WALLET_FIELDS = [
    "wallet_balance",
    "wallet_pending",
    "wallet_held",
    "wallet_promo_balance",
    "wallet_promo_expiry",
    "wallet_promo_expiring",
]

_logger = logging.getLogger(__name__)


class WalletBalance(models.Model):
    """The running balance of one wallet (commercial partner, company).

    Reading a balance must not depend on the length of the history, so the
    ledger keeps this row up to date in the same database transaction as every
    ledger entry.  It is also the row that the ledger locks: two concurrent
    debits of one wallet queue on it.  Nothing but the ledger writes here.
    """

    _name = "wallet.balance"
    _description = "Wallet Balance"
    _rec_name = "partner_id"
    _order = "partner_id, company_id"

    partner_id = fields.Many2one(
        "res.partner", required=True, readonly=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    balance = fields.Monetary(
        readonly=True, default=0.0, help="Done entries, both funds: what the books hold."
    )
    pending = fields.Monetary(readonly=True, default=0.0, help="Top-ups announced, not received.")
    held = fields.Monetary(
        readonly=True,
        default=0.0,
        help="Pending debits (holds), both funds: spent already, booked once captured.",
    )
    promo_balance = fields.Monetary(
        "Promotional Balance",
        readonly=True,
        default=0.0,
        help="The promotional part of the balance: what the shop granted (its lots).",
    )
    promo_held = fields.Monetary(
        "Promotional Held", readonly=True, default=0.0, help="The promotional part of the holds."
    )

    _sql_constraints = [
        (
            "partner_company_unique",
            "UNIQUE(partner_id, company_id)",
            "A customer has one wallet per company.",
        ),
        # The last line of defence: whatever the code does, the database never
        # stores a negative wallet.
        ("balance_not_negative", "CHECK(balance >= 0)", "A wallet balance cannot be negative."),
        ("pending_not_negative", "CHECK(pending >= 0)", "Pending top-ups cannot be negative."),
        ("held_not_negative", "CHECK(held >= 0)", "Held amounts cannot be negative."),
        (
            "available_not_negative",
            "CHECK(balance - held >= 0)",
            "A wallet cannot hold more than its balance.",
        ),
        # Each fund, on its own, never goes negative either.
        (
            "promo_not_negative",
            "CHECK(promo_balance >= 0 AND promo_held >= 0 AND promo_balance - promo_held >= 0)",
            "A wallet's promotional credit cannot be negative.",
        ),
        (
            "cash_not_negative",
            "CHECK(balance - promo_balance >= 0"
            " AND (balance - promo_balance) - (held - promo_held) >= 0 AND held - promo_held >= 0)",
            "A wallet's cash cannot be negative.",
        ),
    ]

    def _lock(self, partner, company):
        """Return the wallet of ``partner`` in ``company``, created if needed and
        locked (``FOR NO KEY UPDATE``) until the end of the database transaction.

        The row is read as it is locked, and put in the cache: the ledger's
        checks need no other query."""
        select = SQL(
            "SELECT id, balance, pending, held, promo_balance, promo_held FROM wallet_balance"
            " WHERE partner_id = %s AND company_id = %s FOR NO KEY UPDATE",
            partner.id,
            company.id,
        )
        # Its one expected failure is a concurrent payment of the wallet, which
        # the callers retry: no "bad query" in the log for it.
        self.env.cr.execute(select, log_exceptions=False)
        row = self.env.cr.fetchone()
        if not row:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO wallet_balance (partner_id, company_id, balance, pending, held,
                                                promo_balance, promo_held,
                                                create_uid, create_date, write_uid, write_date)
                    VALUES (%(partner)s, %(company)s, 0, 0, 0, 0, 0, %(uid)s,
                            NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC')
                    ON CONFLICT (partner_id, company_id) DO NOTHING
                    """,
                    partner=partner.id,
                    company=company.id,
                    uid=self.env.uid,
                )
            )
            self.env.cr.execute(select)
            row = self.env.cr.fetchone()
        wallet = self.sudo().browse(row[0])
        wallet._cache_values({"partner_id": partner.id, "company_id": company.id})
        wallet._cache_amounts(row[1:])
        return wallet

    def _lock_before_any_write(self, partner, company):
        """``_lock``, for a request that has written nothing yet: a concurrent
        payment of the same wallet (a second tab, a double click) is waited
        for without Odoo's retry pause.

        Under REPEATABLE READ a transaction's snapshot predates the lock it
        waits for: once the other payment commits, its row has changed since
        the snapshot, and PostgreSQL refuses the lock ("could not serialize
        access").  Odoo would retry the whole request after a random pause of
        up to 2 s, then 4 s.  With nothing written, nothing is lost by
        starting the transaction again at once instead: the new snapshot sees
        the committed payment.  (Before a route runs, Odoo may have written
        one row, the session's hourly device trace in ``res.device.log``; a
        restart drops that row, and the next hour's trace is logged as usual.)
        """
        for attempt in range(1, WALLET_LOCK_ATTEMPTS + 1):
            try:
                return self._lock(partner, company)
            except SerializationFailure:
                if attempt == WALLET_LOCK_ATTEMPTS:
                    raise  # Odoo's own retry takes over
                self.env.cr.rollback()

    def _cache_amounts(self, amounts):
        self._cache_values(dict(zip(AMOUNT_FIELDS, amounts, strict=True)))

    def _cache_values(self, values):
        for name, value in values.items():
            self.env.cache.update(self, self._fields[name], [value])

    def _available(self):
        """What the wallet can spend now, both funds."""
        return self.currency_id.round(self.balance - self.held)

    def _promo_available(self):
        return self.currency_id.round(self.promo_balance - self.promo_held)

    def _cash_available(self):
        return self.currency_id.round(self._available() - self._promo_available())

    def _check_available(self, amount, available=None):
        """Refuse to take more than the wallet has available (its balance less
        what is held, or ``available``: what one fund has); the caller holds
        the lock."""
        self.ensure_one()
        available = self._available() if available is None else available
        if self.currency_id.compare_amounts(available, amount) < 0:
            _logger.info(
                "Wallet of partner %s refused %s: %s available",
                self.partner_id.id,
                amount,
                available,
            )
            raise UserError(
                _(
                    "Insufficient wallet balance: %(available)s available, %(needed)s needed.",
                    available=self.currency_id.format(available),
                    needed=self.currency_id.format(amount),
                )
            )

    def _add(self, balance=0.0, pending=0.0, held=0.0, promo_balance=0.0, promo_held=0.0):
        """Move the aggregate by the given deltas; the caller holds the lock.
        The database refuses a negative balance, pending or available amount,
        in either fund."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                """
                UPDATE wallet_balance
                   SET balance = balance + %(balance)s, pending = pending + %(pending)s,
                       held = held + %(held)s, promo_balance = promo_balance + %(promo_balance)s,
                       promo_held = promo_held + %(promo_held)s, write_uid = %(uid)s,
                       write_date = NOW() AT TIME ZONE 'UTC'
                 WHERE id = %(id)s
             RETURNING balance, pending, held, promo_balance, promo_held
                """,
                balance=balance,
                pending=pending,
                held=held,
                promo_balance=promo_balance,
                promo_held=promo_held,
                uid=self.env.uid,
                id=self.id,
            )
        )
        self._cache_amounts(self.env.cr.fetchone())
        # The partner fields read this row without a stored dependency.
        self.env["res.partner"].invalidate_model(PARTNER_WALLET_FIELDS)

    def _move_owners(self, partners):
        """``partners`` are no longer their own commercial partner (they became
        contacts of a company): their wallets, entries, promotional lots and
        the journal items of both wallet accounts move to the commercial
        partner they now belong to.
        The journal items that Odoo did not move already (those of entries
        whose partner is someone else) are moved here, in one statement."""
        self.env.flush_all()
        wallets = self.search([("partner_id", "in", partners.ids)])
        for wallet in wallets:
            owner = wallet.partner_id
            target = owner.commercial_partner_id
            wallet._merge_into(target)
            _logger.info("Wallet of %s (%s) moved to %s", owner.id, owner.name, target.id)
            for table in ("wallet_transaction", "wallet_lot"):  # the lots keep their expiry
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET partner_id = %s WHERE partner_id = %s",
                        SQL.identifier(table),
                        target.id,
                        owner.id,
                    )
                )
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE account_move_line line
                       SET partner_id = %s
                      FROM res_company company
                     WHERE company.id = line.company_id
                       AND line.account_id IN (company.wallet_account_id,
                                               company.wallet_promo_account_id)
                       AND line.partner_id = %s
                    """,
                    target.id,
                    owner.id,
                )
            )
        self.env["wallet.topup.rule"].sudo().search(
            [("partner_id", "in", partners.ids)]
        )._follow_commercial_partner()
        self.env.invalidate_all()

    def _merge_into(self, partner):
        """Move these wallets to ``partner`` (Merge Contacts): each is added to
        ``partner``'s wallet of the same company, then removed.  Both rows are
        locked, so that no payment of either wallet runs meanwhile."""
        for wallet in self.sorted("id"):
            target = self._lock(partner, wallet.company_id)
            source = self._lock(wallet.partner_id, wallet.company_id)
            target._add(**{name: source[name] for name in AMOUNT_FIELDS})
            self.env.cr.execute(SQL("DELETE FROM wallet_balance WHERE id = %s", source.id))
        self.invalidate_model()
