# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class WalletCustomerMixin(models.AbstractModel):
    """A Wallet Manager's wizard on one customer's wallet in one company, with
    the reason the ledger entry will carry."""

    _name = "wallet.customer.mixin"
    _description = "Wallet Manager's wizard on a customer's wallet"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        domain="[('parent_id', '=', False)]",
        help="The wallet belongs to the commercial partner; contacts share it.",
    )
    wallet_balance = fields.Monetary(related="partner_id.wallet_balance", string="Available")
    wallet_cash_balance = fields.Monetary(
        related="partner_id.wallet_cash_balance", string="Available Cash"
    )
    amount = fields.Monetary()
    reason = fields.Char(required=True)
