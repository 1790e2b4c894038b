# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..const import MIN_RETURN_VALIDITY

_logger = logging.getLogger(__name__)


class WalletTransaction(models.Model):
    """The ledger's two funds: cash, paid by the customer, and promotional
    credit, granted by the shop in lots that expire.

    Spending takes from lots soonest to expire first (or from cash first, as
    the website says); each debit records what it took from each lot, so that
    a refund gives back exactly that, to the fund it came from.  Expiry takes
    what is left of a lot, once, booked back to Wallet Promotions.
    """

    _inherit = "wallet.transaction"

    # ------------------------------------------------------------------
    # Spending
    # ------------------------------------------------------------------

    @api.model
    def _plan_allocations(self, wallet, amount, funds, promo_first, lots):
        """What a debit of ``amount`` takes from each lot ({lot: amount}); the
        rest is cash.  Called under the wallet's lock."""
        currency = wallet.currency_id
        if funds == "cash":
            return {}
        if funds == "lots":
            for lot, value in lots.items():
                if currency.compare_amounts(lot.remaining - lot.held, value) < 0:
                    raise UserError(
                        _(
                            "%(lot)s holds %(left)s of promotional credit, not %(needed)s: it"
                            " has been spent.",
                            lot=lot.name,
                            left=currency.format(lot.remaining - lot.held),
                            needed=currency.format(value),
                        )
                    )
            return {lot: value for lot, value in lots.items() if value}
        promo_wanted = (
            amount if promo_first else currency.round(max(amount - wallet._cash_available(), 0.0))
        )
        plan = {}
        for lot in self.env["wallet.lot"]._spendable(wallet.partner_id, wallet.company_id):
            if currency.compare_amounts(promo_wanted, 0.0) <= 0:
                break
            take = currency.round(min(lot.remaining - lot.held, promo_wanted))
            plan[lot] = take
            promo_wanted = currency.round(promo_wanted - take)
        return plan

    @api.model
    def _promo_part(self, wallet, amount, promo_first):
        """What of a payment of ``amount`` promotional credit pays, as the
        payment's ``_debit`` will plan it under the same lock: its payment is
        made first, and books that part on the Promotional Credit account."""
        plan = self._plan_allocations(wallet, amount, "any", promo_first, None)
        return wallet.currency_id.round(sum(plan.values()))

    def _allocate(self, plan, pending):
        """Record what this debit takes from each lot, and take it: held until
        the debit is captured, or spent at once."""
        self.ensure_one()
        if not plan:
            return
        self.env["wallet.allocation"].sudo().create(
            [
                {"entry_id": self.id, "lot_id": lot.id, "amount": value}
                for lot, value in plan.items()
            ]
        )
        self.env["wallet.lot"]._move_each(plan, **({"held": 1} if pending else {"remaining": -1}))

    def _allocated(self):
        """What this debit took from each lot ({lot: amount})."""
        self.ensure_one()
        return {allocation.lot_id: allocation.amount for allocation in self.allocation_ids}

    # ------------------------------------------------------------------
    # Lots
    # ------------------------------------------------------------------

    def _open_lot(self, source, amount, expiry_date=None, returned_allocation=None, **links):
        """The lot of promotional credit this credit opens.  Given back, it
        keeps the spent lot's expiry, but can be spent for at least
        ``MIN_RETURN_VALIDITY``."""
        self.ensure_one()
        if returned_allocation:
            spent = returned_allocation.lot_id
            expiry_date = spent.expiry_date and max(
                spent.expiry_date,
                self.env["wallet.lot"]._owner_today(self.partner_id) + MIN_RETURN_VALIDITY,
            )
            links["returned_allocation_id"] = returned_allocation.id
        return (
            self.env["wallet.lot"]
            .sudo()
            .create(
                {
                    "name": self.name,
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "source": source,
                    "entry_id": self.id,
                    "amount": amount,
                    "remaining": amount,
                    "expiry_date": expiry_date,
                    **{
                        key: value.id if isinstance(value, models.BaseModel) else value
                        for key, value in links.items()
                    },
                }
            )
        )

    def _promo_to_give_back(self, amount):
        """What giving back ``amount`` of these debits returns to each lot
        ({allocation: amount}); the rest is cash.

        Promotional credit is given back first, up to what the debits took
        from their lots and has not come back yet.  Whichever paths give back
        and in whatever order, what comes back as cash then never exceeds
        the cash that was spent: promotional credit never becomes cash.
        """
        currency = self.company_id.currency_id[:1]
        split = {}
        for allocation in self.allocation_ids:
            take = currency.round(min(allocation._left_to_return(), amount))
            if currency.compare_amounts(take, 0.0) > 0:
                split[allocation] = take
                amount = currency.round(amount - take)
        return split

    # ------------------------------------------------------------------
    # Expiry and claw-back
    # ------------------------------------------------------------------

    @api.model
    def _expire_lots(self, lots):
        """Take what is left of each lot past its expiry, once: one entry per
        lot, booked for each company by one journal entry (Dr Promotional
        Credit / Cr Wallet Promotions), so that the cost grows with the lots
        that expire, not with the ledger.  The caller holds their wallets'
        locks (``wallet.lot._cron_expire``)."""
        lots.invalidate_recordset(["remaining", "held", "state"])
        due = lots.filtered(lambda lot: lot.state == "open" and not lot.held and lot.remaining)
        for company, company_lots in due.grouped("company_id").items():
            move = self._post_expiries(company, company_lots)
            self._insert_expiries(company, company_lots, move)
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE wallet_balance wallet
                       SET balance = wallet.balance - expired.amount,
                           promo_balance = wallet.promo_balance - expired.amount
                      FROM (SELECT partner_id, SUM(remaining) AS amount FROM wallet_lot
                             WHERE id IN %s GROUP BY partner_id) expired
                     WHERE wallet.partner_id = expired.partner_id AND wallet.company_id = %s
                    """,
                    tuple(company_lots.ids),
                    company.id,
                )
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE wallet_lot SET remaining = 0, state = 'expired' WHERE id IN %s",
                    tuple(company_lots.ids),
                )
            )
            _logger.info(
                "Wallet: %s promotional lots expired in company %s", len(company_lots), company.id
            )
        # Rows written in SQL: no cache (a lot's allocations, a customer's or
        # a journal entry's wallet entries) may be read as it was.
        self.env.invalidate_all()

    @api.model
    def _insert_expiries(self, company, lots, move):
        """The expiry entry of each lot, with its allocation, in one statement.

        An expiry run writes tens of thousands of rows whose every value is
        known by construction (the whole lot, from the promotional fund,
        booked by ``move``): the ORM's per-record computes and checks would
        cost several times the insert itself (see docs/performance.md)."""
        uid, now = self.env.uid, self.env.cr.now()
        self.env.cr.execute(
            SQL(
                """
                WITH expired AS (
                    SELECT lot.id AS lot_id, lot.partner_id, lot.remaining, ref.name,
                           ref.description
                      FROM unnest(%(lots)s::int[], %(names)s::varchar[],
                                  %(descriptions)s::varchar[]) AS ref(lot_id, name, description)
                      JOIN wallet_lot lot ON lot.id = ref.lot_id
                ), entries AS (
                    INSERT INTO wallet_transaction (
                        name, partner_id, company_id, currency_id, date, accounting_date,
                        amount, promo_amount, fund, credit, debit, direction, kind, state,
                        description, move_id, create_uid, create_date, write_uid, write_date)
                    SELECT name, partner_id, %(company)s, %(currency)s, %(now)s, %(date)s,
                           remaining, remaining, 'promo', 0.0, remaining, 'debit', 'expiry',
                           'done', description, %(move)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM expired
                 RETURNING id, name
                )
                INSERT INTO wallet_allocation (entry_id, lot_id, amount, create_uid,
                                               create_date, write_uid, write_date)
                SELECT entries.id, expired.lot_id, expired.remaining, %(uid)s, %(now)s,
                       %(uid)s, %(now)s
                  FROM entries JOIN expired ON expired.name = entries.name
                """,
                lots=lots.ids,
                names=self._next_references(company, len(lots)),
                descriptions=[self.env._("%(lot)s expired", lot=lot.name) for lot in lots],
                company=company.id,
                currency=company.currency_id.id,
                now=now,
                date=move.date,
                move=move.id,
                uid=uid,
            )
        )

    def _claw_back(self, lot, target, reason):
        """Claw back a cashback or a bonus until ``target`` of it has been
        clawed back in all (its sale or top-up was refunded, in part or in
        full).  What the lot still holds is taken; the rest, already spent,
        stays an expense of Wallet Promotions, and the Wallet Managers hear of
        it.  Never a negative wallet."""
        currency = lot.currency_id
        self._lock_wallet(lot.partner_id, lot.company_id)
        lot.invalidate_recordset(["remaining", "held", "clawed_back"])
        amount = currency.round(target - lot.clawed_back)
        if currency.compare_amounts(amount, 0.0) <= 0:
            return
        if lot.state == "expired":  # what was left has been booked back already
            lot._record_claw_back(amount)
            return
        take = currency.round(max(min(amount, lot.remaining - lot.held), 0.0))
        lot._record_claw_back(amount)
        if currency.compare_amounts(take, 0.0) > 0:
            self._debit(
                lot.partner_id,
                take,
                kind="clawback",
                company=lot.company_id,
                funds="lots",
                lots={lot: take},
                description=reason,
            )
        if currency.compare_amounts(take, amount) < 0:
            self._schedule_manager_todo(
                lot.entry_id,
                _(
                    "%(reason)s: %(amount)s of %(lot)s to claw back, but the customer had spent"
                    " all but %(take)s of it; the rest stays an expense of Wallet Promotions.",
                    reason=reason,
                    amount=currency.format(amount),
                    lot=lot.name,
                    take=currency.format(take),
                ),
            )
