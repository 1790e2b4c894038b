# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, models
from odoo.exceptions import UserError


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def button_uninstall(self):
        """Override of `base`: customers' money is not dropped with the addon: uninstalling it (or a
        module it depends on) is refused while any wallet holds money or a
        pending top-up."""
        if "website_wallet" in (self | self.downstream_dependencies()).mapped("name"):
            wallets = (
                self.env["wallet.balance"]
                .sudo()
                .search(["|", ("balance", "!=", 0.0), ("pending", "!=", 0.0)])
            )
            if wallets:
                raise UserError(
                    _(
                        "%(count)s customer wallets still hold money or pending top-ups"
                        " (%(partners)s). Refund or adjust them to zero, and confirm or"
                        " cancel the pending top-ups, before uninstalling the wallet.",
                        count=len(wallets),
                        partners=", ".join(wallets[:5].partner_id.mapped("display_name")),
                    )
                )
        return super().button_uninstall()
