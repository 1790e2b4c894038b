# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, fields, models
from odoo.exceptions import UserError


class WalletStatementWizard(models.TransientModel):
    """Print a customer's wallet statement, or email it to them: the PDF the
    customer downloads from My Wallet, for the period chosen here."""

    _name = "wallet.statement.wizard"
    _inherit = ["wallet.period.mixin"]
    _description = "Send Wallet Statement"

    def _default_period(self, index):
        return self.env["report.website_wallet.report_wallet_statement"]._statement_period()[index]

    partner_id = fields.Many2one("res.partner", "Customer", required=True)
    date_from = fields.Date(default=lambda self: self._default_period(0))
    date_to = fields.Date(default=lambda self: self._default_period(1))

    def _period(self):
        return {
            "wallet_statement_from": fields.Date.to_string(self.date_from),
            "wallet_statement_to": fields.Date.to_string(self.date_to),
        }

    def action_print(self):
        self.ensure_one()
        report = self.env.ref("website_wallet.action_report_wallet_statement")
        return report.report_action(self.partner_id, data=self._period())

    def action_send(self):
        """Email the statement to the customer, as a message in their chatter.
        Wallet users may send it without the right to edit contacts: the
        message is posted as superuser, in their name."""
        self.ensure_one()
        partner = self.partner_id
        if not partner.email:
            raise UserError(_("%(partner)s has no email address.", partner=partner.display_name))
        partner.sudo().with_context(**self._period()).message_post_with_source(
            "website_wallet.mail_template_wallet_statement",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("The wallet statement was sent to %(email)s.", email=partner.email),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
