# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, models
from odoo.exceptions import UserError


class MergePartnerAutomatic(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        """Override of `base`: Merge Contacts adds the merged contacts' wallets
        to the one kept.

        The generic merge repoints the ledger entries and the journal items at
        the kept contact, but it would delete a wallet row that clashes with
        the kept contact's own: the money would stay in the ledger and the
        books, yet could no longer be spent.  The wallets are added together
        first, under their locks."""
        wallets = self.env["wallet.balance"].sudo().search([("partner_id", "in", src_partners.ids)])
        if wallets:
            if dst_partner.commercial_partner_id != dst_partner:
                raise UserError(
                    _(
                        "%(partners)s have a wallet, which belongs to a company or an"
                        " individual, not to a contact of %(company)s. Keep a contact without"
                        " a parent company, or merge the wallets' owners first.",
                        partners=", ".join(wallets.partner_id.mapped("display_name")),
                        company=dst_partner.commercial_partner_id.display_name,
                    )
                )
            wallets._merge_into(dst_partner)
        return super()._update_foreign_keys(src_partners, dst_partner)
