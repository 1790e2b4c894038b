# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class WalletPeriodMixin(models.AbstractModel):
    """A period of accounting dates, as the statements and the roll-forward take it."""

    _name = "wallet.period.mixin"
    _description = "Wallet Reporting Period"

    date_from = fields.Date("From", required=True)
    date_to = fields.Date("To", required=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for record in self:
            if record.date_from > record.date_to:
                raise UserError(_("The start date must be on or before the end date."))
