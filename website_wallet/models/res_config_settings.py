# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Per website: what shoppers of that website see.
    wallet_enabled = fields.Boolean(related="website_id.wallet_enabled", readonly=False)
    wallet_currency_id = fields.Many2one(
        related="website_id.wallet_currency_id", string="Wallet Currency"
    )
    wallet_topup_min = fields.Monetary(
        related="website_id.wallet_topup_min", readonly=False, currency_field="wallet_currency_id"
    )
    wallet_topup_max = fields.Monetary(
        related="website_id.wallet_topup_max", readonly=False, currency_field="wallet_currency_id"
    )
    wallet_topup_limited = fields.Boolean(
        "Limit Top-ups",
        compute="_compute_wallet_topup_limited",
        inverse="_inverse_wallet_topup_limited",
        help="Off: no maximum top-up.",
    )
    wallet_topup_presets = fields.Char(related="website_id.wallet_topup_presets", readonly=False)
    wallet_refund_cancelled_orders = fields.Boolean(
        related="website_id.wallet_refund_cancelled_orders", readonly=False
    )
    wallet_promo_first = fields.Boolean(related="website_id.wallet_promo_first", readonly=False)
    wallet_low_balance_threshold = fields.Monetary(
        related="website_id.wallet_low_balance_threshold",
        readonly=False,
        currency_field="wallet_currency_id",
    )
    # Per company: where the money is booked.
    wallet_account_id = fields.Many2one(related="company_id.wallet_account_id", readonly=False)
    wallet_journal_id = fields.Many2one(related="company_id.wallet_journal_id", readonly=False)
    wallet_promo_account_id = fields.Many2one(
        related="company_id.wallet_promo_account_id", readonly=False
    )
    wallet_promotions_account_id = fields.Many2one(
        related="company_id.wallet_promotions_account_id", readonly=False
    )
    wallet_expiry_warning_days = fields.Integer(
        related="company_id.wallet_expiry_warning_days", readonly=False
    )

    @api.depends("wallet_topup_max")
    def _compute_wallet_topup_limited(self):
        for settings in self:
            settings.wallet_topup_limited = bool(settings.wallet_topup_max)

    def _inverse_wallet_topup_limited(self):
        # An empty maximum means no limit: Settings says so instead of "$0.00".
        self.filtered(lambda settings: not settings.wallet_topup_limited).wallet_topup_max = 0.0

    def action_wallet_transactions(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "website_wallet.action_wallet_transaction"
        )

    def action_wallet_cashback_rules(self):
        return self._wallet_website_action("website_wallet.action_wallet_cashback_rule")

    def action_wallet_bonus_tiers(self):
        return self._wallet_website_action("website_wallet.action_wallet_bonus_tier")

    def _wallet_website_action(self, xmlid):
        """The rules of the website being configured, new ones for it too."""
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["context"] = {"default_website_id": self.website_id.id}
        action["domain"] = [("website_id", "=", self.website_id.id)]
        return action

    def action_wallet_pending_topups(self):
        action = self.action_wallet_transactions()
        action["context"] = {"search_default_pending": 1, "search_default_topups": 1}
        return action
