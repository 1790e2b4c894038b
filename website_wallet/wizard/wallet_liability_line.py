# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class WalletLiabilityLine(models.TransientModel):
    """One customer's row of the liability roll-forward: what the company owed
    them at the start, what came in and went out by kind, and what it owes at
    the end.  Rows are written by one grouped query (see the wizard)."""

    _name = "wallet.liability.line"
    _description = "Wallet Liability Roll-forward Line"
    _order = "closing desc, partner_id"

    wizard_id = fields.Many2one("wallet.liability.wizard", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", "Customer", required=True, readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    opening = fields.Monetary(readonly=True)
    credit_topup = fields.Monetary("Top-ups", readonly=True)
    credit_refund = fields.Monetary("Refunds to wallet", readonly=True)
    credit_adjustment = fields.Monetary("Adjustments (+)", readonly=True)
    credit_reversal = fields.Monetary("Reversals (+)", readonly=True)
    debit_payment = fields.Monetary("Payments", readonly=True)
    debit_refund = fields.Monetary("Top-up refunds", readonly=True)
    debit_withdrawal = fields.Monetary("Withdrawals", readonly=True)
    debit_adjustment = fields.Monetary("Adjustments (-)", readonly=True)
    debit_reversal = fields.Monetary("Reversals (-)", readonly=True)
    credit_grant = fields.Monetary("Promotional grants", readonly=True)
    credit_cashback = fields.Monetary("Cashback", readonly=True)
    credit_bonus = fields.Monetary("Top-up bonuses", readonly=True)
    debit_expiry = fields.Monetary("Expired", readonly=True)
    debit_clawback = fields.Monetary("Clawed back", readonly=True)
    promo_spent = fields.Monetary(
        "Promotional spent",
        readonly=True,
        help="The promotional part of the payments, net of what came back.",
    )
    closing = fields.Monetary(readonly=True)
    promo_closing = fields.Monetary(
        "Promotional closing", readonly=True, help="The promotional part of the closing balance."
    )
    pending = fields.Monetary(
        "Pending top-ups", readonly=True, help="Announced, not received: not in the books."
    )
    last_movement = fields.Date(readonly=True, help="Accounting date of the last movement.")
    dormant_months = fields.Integer(
        "Dormant (months)",
        readonly=True,
        aggregator=None,
        help="A balance left with no movement for at least 6 or 12 months by the end date.",
    )
