# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _load(self, template_code, company, install_demo, force_create=True):
        """A company that gets (or reloads) its chart gets its wallet account and
        journal at once.  On a new database Odoo loads the chart at the end of
        the install, after this addon's post-init hook has run."""
        result = super()._load(template_code, company, install_demo, force_create=force_create)
        self.env["res.company"].browse(company.id)._wallet_setup_accounting()
        return result
