# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models


class WalletWithdrawalWizard(models.TransientModel):
    """Pay wallet money back to the customer's bank account: what a wire-transfer
    top-up cannot do through a card refund.  A debit of the wallet, booked as an
    outbound payment of the chosen bank journal (Dr Customer Wallet / Cr
    outstanding payments)."""

    _name = "wallet.withdrawal.wizard"
    _inherit = "wallet.customer.mixin"
    _description = "Wallet Withdrawal to Bank"

    partner_id = fields.Many2one(required=True)
    amount = fields.Monetary(required=True)
    journal_id = fields.Many2one(
        "account.journal",
        "Pay From",
        required=True,
        check_company=True,
        domain="[('type', '=', 'bank'), ('id', '!=', wallet_journal_id)]",
    )
    wallet_journal_id = fields.Many2one(related="company_id.wallet_journal_id")
    partner_bank_id = fields.Many2one(
        "res.partner.bank",
        "Customer Bank Account",
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    reason = fields.Char(default=lambda self: _("Withdrawal to bank"))

    @api.model
    def default_get(self, fields_list):
        """Override of `base`: opened from a top-up, its customer, and what is
        left of it to give back."""
        values = super().default_get(fields_list)
        entry = self.env["wallet.transaction"].browse(self.env.context.get("wallet_entry_id"))
        if entry:
            partner = entry.partner_id.with_company(entry.company_id)
            values.update(
                partner_id=partner.id,
                company_id=entry.company_id.id,
                amount=min(entry.amount, partner.wallet_cash_balance),
                reason=_("Withdrawal of top-up %(ref)s", ref=entry.name),
            )
        return values

    def action_withdraw(self):
        self.ensure_one()
        self.env["wallet.transaction"]._check_manager()
        entry = (
            self.env["wallet.transaction"]
            .sudo()
            ._debit(
                self.partner_id,
                self.amount,
                kind="withdrawal",
                company=self.company_id,
                journal=self.journal_id,
                description=self.reason,
            )
        )
        if self.partner_bank_id:
            entry.account_payment_id.partner_bank_id = self.partner_bank_id
        return {
            "type": "ir.actions.act_window",
            "name": _("Wallet Transaction"),
            "res_model": "wallet.transaction",
            "res_id": entry.id,
            "view_mode": "form",
        }
