# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging
import math

from odoo import _, api, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_is_zero

from ..const import PROMO_CREDIT_KINDS

_logger = logging.getLogger(__name__)


class WalletTransaction(models.Model):
    """The ledger service: the only code that moves wallet money.

    Each method takes the wallet's row lock, checks, writes the entry, moves
    the aggregate (``wallet.balance``) and books it
    (``wallet_transaction_booking.py``), in the caller's database
    transaction.  It never calls back into payment transactions, orders or
    invoices: the code of each money path calls it.
    """

    _inherit = "wallet.transaction"

    # ------------------------------------------------------------------
    # Ledger service
    # ------------------------------------------------------------------

    @api.model
    def _credit(
        self,
        partner,
        amount,
        kind="topup",
        company=None,
        journal=None,
        pending=False,
        promo=None,
        lot_values=None,
        **links,
    ):
        """Add money to ``partner``'s wallet in ``company``, or announce a pending top-up.

        ``links`` are the entry's other fields (description, payment transaction,
        order, invoice, counterpart account...).  A pending entry moves nothing
        until ``_confirm``; a done one is booked at once, in ``journal`` when
        nothing else tells where the money was received.

        A grant, a cashback or a bonus (``kind``) is promotional credit as a
        whole, in a lot of its own (``lot_values``: its expiry date, the order
        or top-up that earned it).  A credit that gives back a debit returns
        ``promo`` ({allocation: amount}) to the fund it came from: a lot that
        keeps the spent lot's expiry; the rest is cash.
        """
        company = company or self.env.company
        amount = self._check_amount(amount, company)
        self._check_origin(kind, amount, links)
        wallet = self._lock_wallet(partner, company)
        if existing := self._find_live_entry(links, "credit"):
            return existing
        promo = {allocation: value for allocation, value in (promo or {}).items() if value}
        promo_amount = amount if kind in PROMO_CREDIT_KINDS else sum(promo.values())
        links = {**links, "promo_amount": company.currency_id.round(promo_amount)}
        entry = self._create_entry(wallet, amount, "credit", kind, pending, journal, links)
        if kind in PROMO_CREDIT_KINDS:
            entry._open_lot(kind, amount, **(lot_values or {}))
        for allocation, value in promo.items():
            entry._open_lot("return", value, returned_allocation=allocation)
        if pending:
            wallet._add(pending=amount)
        else:
            wallet._add(balance=amount, promo_balance=entry.promo_amount)
            entry._notify_customer(wallet)
        return entry

    @api.model
    def _debit(
        self,
        partner,
        amount,
        kind="payment",
        company=None,
        journal=None,
        pending=False,
        funds="cash",
        promo_first=True,
        lots=None,
        **links,
    ):
        """Take money from ``partner``'s wallet in ``company``, atomically; or,
        ``pending``, hold it: the money is set aside at once (it is no longer
        available) and booked only when ``_confirm`` captures the hold.

        The wallet row stays locked until the transaction ends, so a second
        debit waits for this one and then sees the lowered balance; it can
        never spend the same funds.  A payment transaction's caller takes the
        lock first and checks what its documents still owe under it, so two
        tabs or two routes can never pay one document twice.

        ``funds`` says which money it takes: "cash" (the default) never
        touches promotional credit (a withdrawal, a top-up's refund, an
        adjustment); "any", for a payment, spends promotional credit (the lot
        that expires soonest first) and cash, promotional first unless
        ``promo_first`` is false; "lots" takes
        ``lots`` ({lot: amount}) and the rest in cash (an expiry, a
        claw-back, the reversal of a credit).  The entry records each lot it
        took from, so that a refund gives back exactly that.
        """
        company = company or self.env.company
        amount = self._check_amount(amount, company)
        wallet = self._lock_wallet(partner, company)
        if existing := self._find_live_entry(links, "debit"):
            return existing
        available_before = wallet._available()
        wallet._check_available(amount, available_before)
        plan = self._plan_allocations(wallet, amount, funds, promo_first, lots)
        promo_amount = company.currency_id.round(sum(plan.values()))
        wallet._check_available(amount - promo_amount, wallet._cash_available())
        links = {**links, "promo_amount": promo_amount}
        entry = self._create_entry(wallet, amount, "debit", kind, pending, journal, links)
        entry._allocate(plan, pending)
        if pending:
            wallet._add(held=amount, promo_held=promo_amount)
        else:
            wallet._add(balance=-amount, promo_balance=-promo_amount)
            entry._notify_customer(wallet)
        if kind == "payment":  # spending, not a refund, a withdrawal or an expiry
            self.env["wallet.topup.rule"]._watch(entry, wallet, available_before)
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
                self.env["wallet.lot"]._move_each(entry._allocated(), remaining=-1, held=-1)
                wallet._add(
                    balance=-entry.amount,
                    held=-entry.amount,
                    promo_balance=-entry.promo_amount,
                    promo_held=-entry.promo_amount,
                )
            entry._close_activities()
            entry._notify_customer(wallet)
        return True

    def _cancel(self, notify=True):
        """Pending → cancelled: the announced top-up will not arrive, or the
        held money (and the promotional credit it held in its lots) is
        released.

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
                self.env["wallet.lot"]._move_each(entry._allocated(), held=-1)
                wallet._add(held=-entry.amount, promo_held=-entry.promo_amount)
            entry._close_activities()
            if notify:
                entry._notify_customer(wallet)
        return True

    def _reverse(self, reason):
        """Correct a done entry with a new, opposite one that points at it.

        Reversing a credit is a debit: it is refused when the money has
        already been spent, so a correction never makes a wallet negative;
        its promotional part is taken from the lots the credit opened.
        Reversing a debit gives its promotional part back to its lots' fund.
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
        links = {
            "kind": "reversal",
            "company": self.company_id,
            "description": _("Reversal of %(ref)s: %(reason)s", ref=self.name, reason=reason),
            "reversed_entry_id": self.id,
        }
        if self.direction == "credit":
            lots = {lot: lot.amount for lot in self.lot_ids}
            return ledger._debit(self.partner_id, self.amount, funds="lots", lots=lots, **links)
        if self.kind == "payment" and self.payment_transaction_id:
            # Reversing a wallet payment gives the payment back: never
            # more than its refunds have left of it.
            links["origin_transaction_id"] = self.payment_transaction_id.id
        promo = self._promo_to_give_back(self.amount)
        return ledger._credit(self.partner_id, self.amount, promo=promo, **links)

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

    @api.model
    def _next_references(self, company, count):
        """``count`` ledger references at once, for the entries of a batch
        (an expiry run): one query, where ``_next_reference`` takes two each."""
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .with_company(company)
            .search(
                [("code", "=", "wallet.transaction"), ("company_id", "in", [company.id, False])],
                order="company_id",
                limit=1,
            )
        )
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [self._next_reference(company) for _index in range(count)]
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        return [sequence.get_next_char(number) for (number,) in self.env.cr.fetchall()]

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
