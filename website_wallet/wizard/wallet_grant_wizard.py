# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class WalletGrantWizard(models.TransientModel):
    """A Wallet Manager grants promotional credit to one customer or to many
    selected in the customer list: booked Dr Wallet Promotions / Cr
    Promotional Credit, spent before cash, gone at its expiry, and never
    withdrawn as cash."""

    _name = "wallet.grant.wizard"
    _description = "Grant Promotional Wallet Credit"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        required=True,
        help="Each customer's wallet (that of its company, for a contact) receives the amount.",
    )
    amount = fields.Monetary(required=True)
    reason = fields.Char(required=True, help="Shown to the customer in the wallet's history.")
    expiry_date = fields.Date(
        "Expires After",
        help="Last day the credit can be spent, in the customer's time zone; empty: never.",
    )

    @api.model
    def default_get(self, fields_list):
        """Override of `base`: opened from the customer list, the selected customers."""
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner":
            values["partner_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return values

    def action_grant(self):
        self.ensure_one()
        Ledger = self.env["wallet.transaction"]
        Ledger._check_manager()
        if self.expiry_date and self.expiry_date < fields.Date.context_today(self):
            raise UserError(
                _("The credit would expire before it can be spent: choose a later day.")
            )
        owners = self.partner_ids.commercial_partner_id
        entries = Ledger
        for owner in owners.sorted("id"):  # one order of locks: no deadlock with another grant
            entries |= Ledger.sudo()._credit(
                owner,
                self.amount,
                kind="grant",
                company=self.company_id,
                description=self.reason,
                lot_values={"expiry_date": self.expiry_date},
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Promotional Grants"),
            "res_model": "wallet.transaction",
            "view_mode": "list,form",
            "domain": [("id", "in", entries.ids)],
        }
