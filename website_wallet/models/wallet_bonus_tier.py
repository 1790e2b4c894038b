# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import api, fields, models


class WalletBonusTier(models.Model):
    """A website's top-up bonus: "add 100, get 10".  The bonus is promotional
    credit, credited with the top-up and clawed back in proportion if the
    top-up is refunded."""

    _name = "wallet.bonus.tier"
    _description = "Wallet Top-up Bonus"
    _order = "website_id, min_amount desc, id"

    active = fields.Boolean(default=True)
    website_id = fields.Many2one("website", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="website_id.company_id.currency_id")
    min_amount = fields.Monetary("Top-up of at Least", required=True)
    bonus = fields.Monetary(required=True)
    validity_days = fields.Integer(
        "Valid for (days)", default=90, help="How long the bonus can be spent; 0: no expiry."
    )

    _sql_constraints = [
        (
            "amounts_positive",
            "CHECK(min_amount > 0 AND bonus > 0 AND validity_days >= 0)",
            "A bonus tier has a positive top-up, a positive bonus and a validity.",
        ),
    ]

    @api.model
    def _for_topup(self, website, amount):
        """The tier a top-up of ``amount`` reaches on ``website``: the highest."""
        currency = website.company_id.currency_id
        return (
            self.sudo()
            .search([("website_id", "=", website.id)])
            .filtered(lambda tier: currency.compare_amounts(amount, tier.min_amount) >= 0)[:1]
        )

    def _expiry_date(self):
        self.ensure_one()
        if not self.validity_days:
            return False
        return fields.Date.context_today(self) + timedelta(days=self.validity_days)
