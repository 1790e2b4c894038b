# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, fields, models
from odoo.exceptions import UserError


class WalletAdjustmentWizard(models.TransientModel):
    """Manual corrections of a wallet, always as new ledger entries: an
    adjustment booked against a chosen account, or the reversal of an entry."""

    _name = "wallet.adjustment.wizard"
    _inherit = "wallet.customer.mixin"
    _description = "Wallet Manual Adjustment"

    reversed_entry_id = fields.Many2one(
        "wallet.transaction",
        "Entry to Reverse",
        check_company=True,
        domain="[('state', '=', 'done'), ('kind', '!=', 'reversal')]",
    )
    direction = fields.Selection(
        [("credit", "Add money (credit)"), ("debit", "Remove money (debit)")],
        default="credit",
    )
    counterpart_account_id = fields.Many2one(
        "account.account",
        check_company=True,
        domain="[('deprecated', '=', False), ('account_type', 'not in',"
        " ('asset_receivable', 'liability_payable'))]",
        help="The account the adjustment is booked against, e.g. a goodwill expense.",
    )

    def action_apply(self):
        self.ensure_one()
        self.env["wallet.transaction"]._check_manager()
        Ledger = self.env["wallet.transaction"].sudo().with_company(self.company_id)
        if self.reversed_entry_id:
            reversed_entry = self.reversed_entry_id.sudo()
            entry = reversed_entry._reverse(self.reason)
            # A reversed payment gives back part of its order, a reversed
            # top-up takes back its money: their cashback or bonus is clawed
            # back in proportion.
            reversed_entry.sale_order_id._wallet_settle_cashback()
            transaction = reversed_entry.payment_transaction_id
            if transaction and (topup := transaction._wallet_topup_source()):
                topup._wallet_settle_bonus()
        else:
            if not (self.partner_id and self.counterpart_account_id):
                raise UserError(_("Choose the customer and the counterpart account."))
            method = Ledger._credit if self.direction == "credit" else Ledger._debit
            entry = method(
                self.partner_id,
                self.amount,
                kind="adjustment",
                description=self.reason,
                counterpart_account_id=self.counterpart_account_id.id,
                company=self.company_id,
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Wallet Transaction"),
            "res_model": "wallet.transaction",
            "res_id": entry.id,
            "view_mode": "form",
        }
