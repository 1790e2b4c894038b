# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging

from odoo import _, api, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..const import PROVIDER_CODE

_logger = logging.getLogger(__name__)

# A refund that has not failed has given the money back, or is giving it
# back: it counts until it fails.
LIVE_REFUND = SQL("operation = 'refund' AND state NOT IN ('cancel', 'error')")


class WalletOrigin(models.AbstractModel):
    """What a give-back gives back: a payment (a card or wallet payment, a
    split part) or a customer credit note.

    Several paths give money back: the payment's Refund button and its RPC,
    Refund to Wallet and Register Payment on a credit note, cancelling an
    order, reversing a wallet payment.  Each asks here, under a lock on the
    origin, how much is left of it, so that together, in any order, twice or
    at once, they never give back more than the origin paid.
    """

    _name = "wallet.origin"
    _description = "What a wallet give-back gives back"

    @api.model
    def _lock(self, origin):
        """Lock ``origin`` until the end of the database transaction.

        The row is updated, not only locked: a concurrent give-back that took
        its snapshot before this one commits then fails to lock it ("could
        not serialize access") and is retried by Odoo with a snapshot that
        sees this one.  A lock alone would let it sum an old snapshot.
        """
        origin.ensure_one()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET write_date = write_date WHERE id = %s",
                SQL.identifier(origin._table),
                origin.id,
            ),
            log_exceptions=False,
        )

    @api.model
    def _paid(self, origin):
        """What ``origin`` paid: a done payment its amount, a posted customer
        credit note its total; anything else nothing."""
        origin = origin.sudo()
        if origin._name == "payment.transaction":
            done = origin.state == "done" and origin.operation not in ("refund", "validation")
            return origin.amount if done else 0.0
        if origin.move_type == "out_refund" and origin.state == "posted":
            return origin.amount_total
        return 0.0

    @api.model
    def _given_back(self, origin, exclude=None):
        """What every path has given back of ``origin`` so far.

        For a payment: its refunds (see ``LIVE_REFUND``), and the wallet
        credits that gave it back without a refund transaction (a cancelled
        order, a reversal); for a credit note: the
        wallet credits that settled it.  A give-back taken back later (a
        reversed refund) still counts: the origin is never given back twice.
        ``exclude``: a refund transaction being recorded, already counted.
        """
        self.env["payment.transaction"].flush_model(
            ["source_transaction_id", "operation", "state", "amount"]
        )
        self.env["wallet.transaction"].flush_model(
            [
                "origin_transaction_id",
                "origin_move_id",
                "payment_transaction_id",
                "direction",
                "state",
                "amount",
            ]
        )
        if origin._name == "payment.transaction":
            query = SQL(
                """
                SELECT COALESCE(SUM(-amount), 0) FROM payment_transaction
                 WHERE source_transaction_id = %(origin)s AND %(refunds)s AND id != %(exclude)s
                UNION ALL
                SELECT COALESCE(SUM(amount), 0) FROM wallet_transaction
                 WHERE origin_transaction_id = %(origin)s AND direction = 'credit'
                   AND state != 'cancel' AND payment_transaction_id IS NULL
                """,
                origin=origin.id,
                refunds=LIVE_REFUND,
                exclude=exclude.id if exclude else 0,
            )
        else:
            query = SQL(
                """
                SELECT COALESCE(SUM(amount), 0) FROM wallet_transaction
                 WHERE origin_move_id = %s AND direction = 'credit' AND state != 'cancel'
                """,
                origin.id,
            )
        self.env.cr.execute(query)
        return sum(amount for (amount,) in self.env.cr.fetchall())

    @api.model
    def _left(self, origin, exclude=None):
        """What can still be given back of ``origin``; a credit note also
        keeps what other payments settled of it (its residual)."""
        origin = origin.sudo()
        currency = origin.currency_id
        left = currency.round(self._paid(origin) - self._given_back(origin, exclude))
        if origin._name == "account.move":
            left = min(left, origin.sudo().amount_residual)
        return max(left, 0.0)

    @api.model
    def _lock_and_left(self, origin):
        origin = origin.sudo()
        self._lock(origin)
        origin.invalidate_recordset()
        return self._left(origin)

    @api.model
    def _check_give_back(self, origin, amount, exclude=None):
        """Refuse to give back more of ``origin`` than is left of it, under
        its lock, saying how much is left."""
        origin = origin.sudo()
        currency = origin.currency_id
        if currency.compare_amounts(amount, 0.0) <= 0:
            raise ValidationError(_("The amount to give back must be greater than zero."))
        self._lock(origin)
        origin.invalidate_recordset()
        left = self._left(origin, exclude)
        if currency.compare_amounts(amount, left) > 0:
            message = _(
                "%(origin)s cannot give back %(amount)s: only %(left)s of it is left to give"
                " back (it paid %(paid)s).",
                origin=self._label(origin),
                amount=currency.format(amount),
                left=currency.format(left),
                paid=currency.format(self._paid(origin)),
            )
            _logger.info("Wallet give-back refused: %s", message)
            raise UserError(message)

    @api.model
    def _is_wallet_money(self, transaction):
        """Whether a payment's money went through a wallet (a wallet payment or
        split part, a top-up), or a wallet has already given part of it back.
        Its Refund button then offers what is left here; other payments keep
        core's figure, where a refund still in progress does not count (it is
        counted when a refund is asked, here, all the same)."""
        transaction = transaction.sudo()
        if transaction.provider_code == PROVIDER_CODE or transaction._wallet_topup_source():
            return True
        return bool(
            self.env["wallet.transaction"]
            .sudo()
            .search_count([("origin_transaction_id", "=", transaction.id)], limit=1)
        )

    @api.model
    def _label(self, origin):
        if origin._name == "payment.transaction":
            return _("Payment %(ref)s", ref=origin.sudo().reference)
        return origin.sudo().display_name
