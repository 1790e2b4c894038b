# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging

from odoo import _, api, fields, models

_logger = logging.getLogger(__name__)

BATCH = 200
SENDER_CRON = "website_wallet.cron_send_notifications"


class WalletNotification(models.Model):
    """The emails the ledger owes its customers, sent right after the money moved.

    Rendering an email costs more than moving the money.  Inside its database
    transaction the ledger only records which email an entry needs, with the
    balance it left; this queue's cron, woken once the transaction has
    committed, renders and sends them.  A rolled-back payment therefore never
    emails, and waking the cron takes nothing from the money's transaction.
    """

    _name = "wallet.notification"
    _description = "Wallet email to send"
    _order = "id"

    entry_id = fields.Many2one("wallet.transaction", required=True, ondelete="cascade")
    template_id = fields.Many2one("mail.template", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="entry_id.currency_id")
    balance = fields.Monetary(help="What the wallet had available right after the event.")
    state = fields.Selection(
        [("queued", "Queued"), ("failed", "Failed")], default="queued", required=True, index=True
    )
    failure_reason = fields.Text(readonly=True)

    @api.model
    def _enqueue(self, entry, template, balance):
        """Queue the email of ``template`` (an xmlid of this module) for ``entry``."""
        self.sudo().create(
            {
                "entry_id": entry.id,
                # The xmlid's cached id: no query to check the template exists,
                # the foreign key does that.
                "template_id": self.env["ir.model.data"]._xmlid_to_res_id(
                    f"website_wallet.{template}"
                ),
                "balance": balance,
            }
        )
        self.env["ir.cron"]._wallet_trigger_after_commit(SENDER_CRON)

    @api.model
    def _cron_send(self):
        """Render and queue each email on its own: one that fails (a template
        that no longer renders, say) is recorded as failed, on its email and
        in its entry's chatter, and the others go."""
        notifications = self.sudo().search([("state", "=", "queued")], limit=BATCH)
        sent = notifications.browse()
        for notification in notifications:
            try:
                with self.env.cr.savepoint():
                    notification.template_id.with_context(
                        wallet_balance_after=notification.balance
                    ).send_mail(notification.entry_id.id)
            except Exception as error:  # one email never blocks the others
                notification._record_failure(error)
            else:
                sent |= notification
        sent.unlink()
        if len(notifications) == BATCH:
            self.env.ref(SENDER_CRON)._trigger()

    def _record_failure(self, error):
        _logger.warning(
            "Wallet email %s of entry %s failed: %s",
            self.template_id.name,
            self.entry_id.name,
            error,
            exc_info=True,
        )
        self.write({"state": "failed", "failure_reason": str(error)})
        self.entry_id._message_log(
            body=_(
                "The email “%(template)s” could not be sent: %(error)s",
                template=self.template_id.name,
                error=error,
            )
        )
