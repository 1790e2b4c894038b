# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class WalletAllocation(models.Model):
    """What a debit took from one lot of promotional credit.

    A debit records which lots it used and how much of each (the rest was
    cash), so that a refund gives back exactly that, to the fund it came
    from.  Written by the ledger with its entry, never changed.
    """

    _name = "wallet.allocation"
    _description = "Promotional Credit Spent from a Lot"
    _order = "id"

    entry_id = fields.Many2one(
        "wallet.transaction", required=True, readonly=True, index=True, ondelete="restrict"
    )
    lot_id = fields.Many2one(
        "wallet.lot", required=True, readonly=True, index=True, ondelete="restrict"
    )
    currency_id = fields.Many2one(related="lot_id.currency_id")
    amount = fields.Monetary(required=True, readonly=True)
    returned_lot_ids = fields.One2many("wallet.lot", "returned_allocation_id", readonly=True)

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "An allocation takes a positive amount."),
    ]

    def _left_to_return(self):
        """What this spending has not been given back yet."""
        self.ensure_one()
        return self.currency_id.round(self.amount - sum(self.returned_lot_ids.mapped("amount")))
