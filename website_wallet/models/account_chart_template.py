# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _post_load_data(self, template_code, company, template_data):
        """Override of `account`: a company that gets (or reloads) its chart gets
        its wallet account and journal at once.  On a new database Odoo loads
        the chart at the end of the install, after this addon's post-init hook
        has run.

        The journal is not declared as template data: its account is the
        Customer Wallet liability, whose code is picked free in each chart
        (after its current liabilities), which static template data cannot do."""
        result = super()._post_load_data(template_code, company, template_data)
        (company or self.env.company)._wallet_setup_accounting()
        return result
