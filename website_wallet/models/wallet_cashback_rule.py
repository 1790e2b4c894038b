# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class WalletCashbackRule(models.Model):
    """A website's cashback: a percentage of what an order paid in cash or by
    card (never of what promotional credit paid), credited as promotional
    credit once the order is paid, and clawed back in proportion if the order
    is refunded or cancelled."""

    _name = "wallet.cashback.rule"
    _description = "Wallet Cashback Rule"
    _order = "website_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    website_id = fields.Many2one("website", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="website_id.company_id.currency_id")
    percent = fields.Float("Cashback (%)", required=True, digits=(5, 2))
    min_order = fields.Monetary("Minimum Order", help="Orders below this total earn nothing.")
    max_amount = fields.Monetary(
        "Maximum per Order", help="The most one order earns; empty for no maximum."
    )
    validity_days = fields.Integer(
        "Valid for (days)", default=90, help="How long the cashback can be spent; 0: no expiry."
    )
    date_from = fields.Date("From", help="First day orders earn it.")
    date_to = fields.Date("To", help="Last day orders earn it.")

    _sql_constraints = [
        (
            "percent_in_range",
            "CHECK(percent > 0 AND percent <= 100)",
            "A cashback is a percentage above 0 and at most 100.",
        ),
        (
            "amounts_not_negative",
            "CHECK(COALESCE(min_order, 0) >= 0 AND COALESCE(max_amount, 0) >= 0"
            " AND validity_days >= 0)",
            "A cashback's minimum, maximum and validity cannot be negative.",
        ),
    ]

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for rule in self.filtered(lambda rule: rule.date_from and rule.date_to):
            if rule.date_to < rule.date_from:
                raise ValidationError(_("A cashback rule ends on or after the day it starts."))

    @api.model
    def _best_for(self, order, base):
        """The cashback ``order`` earns on ``base`` (what it paid in cash or by
        card): (rule, amount), the best of its website's rules that apply."""
        day = fields.Date.context_today(self, order.date_order)
        currency = order.currency_id
        best = (self.browse(), 0.0)
        for rule in self.sudo().search([("website_id", "=", order.website_id.id)]):
            if (
                (rule.date_from and day < rule.date_from)
                or (rule.date_to and day > rule.date_to)
                or currency.compare_amounts(order.amount_total, rule.min_order) < 0
            ):
                continue
            amount = currency.round(base * rule.percent / 100)
            if rule.max_amount:
                amount = min(amount, rule.max_amount)
            if currency.compare_amounts(amount, best[1]) > 0:
                best = (rule, amount)
        return best

    def _expiry_date(self):
        self.ensure_one()
        if not self.validity_days:
            return False
        return fields.Date.context_today(self) + timedelta(days=self.validity_days)
