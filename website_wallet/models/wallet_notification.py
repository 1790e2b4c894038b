# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models

BATCH = 200


class WalletNotification(models.Model):
    """The emails the ledger owes its customers, sent right after the money moved.

    Rendering an email costs more than moving the money.  Inside its database
    transaction the ledger only records which email an entry needs, with the
    balance it left; this queue's cron, triggered at once, renders and sends
    them after the commit.  A rolled-back payment therefore never emails.
    """

    _name = "wallet.notification"
    _description = "Wallet email to send"
    _order = "id"

    entry_id = fields.Many2one("wallet.transaction", required=True, ondelete="cascade")
    template_id = fields.Many2one("mail.template", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="entry_id.currency_id")
    balance = fields.Monetary(help="What the wallet had available right after the event.")

    @api.model
    def _enqueue(self, entry, template, balance):
        self.sudo().create({"entry_id": entry.id, "template_id": template.id, "balance": balance})
        self.env.ref("website_wallet.cron_send_notifications")._trigger()

    @api.model
    def _cron_send(self):
        notifications = self.sudo().search([], limit=BATCH)
        for notification in notifications:
            notification.template_id.with_context(
                wallet_balance_after=notification.balance
            ).send_mail(notification.entry_id.id)
        notifications.unlink()
        if len(notifications) == BATCH:
            self.env.ref("website_wallet.cron_send_notifications")._trigger()
