# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import math

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class Website(models.Model):
    _inherit = "website"

    wallet_enabled = fields.Boolean(
        "Customer Wallet",
        default=True,
        help="Offer the wallet on this website: the portal pages, Add Money and paying with it.",
    )
    wallet_currency_id = fields.Many2one(related="company_id.currency_id")
    wallet_topup_min = fields.Monetary(
        "Minimum Top-up",
        currency_field="wallet_currency_id",
        default=1.0,
        help="Smallest amount a customer may add to their wallet on this website.",
    )
    wallet_topup_max = fields.Monetary(
        "Maximum Top-up",
        currency_field="wallet_currency_id",
        help="Largest amount a customer may add at once on this website; empty for no limit.",
    )

    wallet_refund_cancelled_orders = fields.Boolean(
        "Refund Cancelled Orders to the Wallet",
        help="When an order paid by card is cancelled, its payment becomes wallet credit"
        " instead of waiting to be refunded by hand. Orders paid with the wallet always"
        " return their payment to the wallet.",
    )
    wallet_promo_first = fields.Boolean(
        "Spend Promotional Credit First",
        default=True,
        help="A wallet payment spends promotional credit (the lot that expires soonest"
        " first) before cash; off: cash first.",
    )
    wallet_low_balance_threshold = fields.Monetary(
        "Low-balance Alert Below",
        currency_field="wallet_currency_id",
        help="Customers who set no alert of their own get an email when their available"
        " balance falls below this amount (0: no alert).",
    )
    wallet_cashback_rule_ids = fields.One2many(
        "wallet.cashback.rule", "website_id", "Cashback Rules"
    )
    wallet_bonus_tier_ids = fields.One2many("wallet.bonus.tier", "website_id", "Top-up Bonuses")
    wallet_topup_presets = fields.Char(
        "Preset Amounts",
        help="Quick-pick amounts on the Add Money page, separated by commas, e.g. 20, 50, 100.",
    )

    @api.constrains("wallet_topup_presets")
    def _check_wallet_topup_presets(self):
        for website in self:
            for raw in (website.wallet_topup_presets or "").split(","):
                if raw.strip() and website._wallet_parse_topup_amount(raw)[1]:
                    raise ValidationError(
                        _(
                            "Preset amount %(amount)s is not a valid top-up: %(error)s",
                            amount=raw.strip(),
                            error=website._wallet_parse_topup_amount(raw)[1],
                        )
                    )

    def _wallet_topup_preset_amounts(self):
        self.ensure_one()
        return [
            amount
            for amount, error in map(
                self._wallet_parse_topup_amount, (self.wallet_topup_presets or "").split(",")
            )
            if not error
        ]

    @api.constrains("wallet_topup_min", "wallet_topup_max")
    def _check_wallet_topup_limits(self):
        for website in self:
            currency = website.wallet_currency_id
            if currency.compare_amounts(website.wallet_topup_min, 0.0) <= 0:
                raise ValidationError(_("The minimum top-up must be greater than zero."))
            if website.wallet_topup_max and (
                currency.compare_amounts(website.wallet_topup_max, website.wallet_topup_min) < 0
            ):
                raise ValidationError(
                    _("The maximum top-up must be empty or at least the minimum top-up.")
                )

    def _wallet_parse_topup_amount(self, raw):
        """Validate an amount typed by a customer.

        Returns ``(amount, error)``: the amount rounded to the currency, or a
        message that says what is wrong, in the customer's words.
        """
        self.ensure_one()
        currency = self.wallet_currency_id
        text = str(raw if raw is not None else "").strip()
        if not text:
            return None, _("Enter the amount to add.")
        try:
            amount = float(text)
        except ValueError:
            amount = None
        if amount is None or not math.isfinite(amount):
            return None, _("Enter the amount as a number, for example 50.00.")
        if currency.compare_amounts(amount, 0.0) <= 0:
            return None, _("The amount must be greater than zero.")
        # Exact, not rounded: 10.004 is refused, not silently taken as 10.00.
        if abs(amount - currency.round(amount)) > 1e-9:
            return None, _("Use at most %(digits)s decimals.", digits=currency.decimal_places)
        if currency.compare_amounts(amount, self.wallet_topup_min) < 0:
            return None, _(
                "The minimum top-up is %(minimum)s.",
                minimum=currency.format(self.wallet_topup_min),
            )
        if self.wallet_topup_max and currency.compare_amounts(amount, self.wallet_topup_max) > 0:
            return None, _(
                "The maximum top-up is %(maximum)s.",
                maximum=currency.format(self.wallet_topup_max),
            )
        return currency.round(amount), None
