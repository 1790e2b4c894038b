# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, models


class WalletTransaction(models.Model):
    """What the ledger tells people: the customer's emails (queued, sent after
    the commit) and the Wallet Managers' to-dos."""

    _inherit = "wallet.transaction"

    # ------------------------------------------------------------------
    # Notifications
    # ------------------------------------------------------------------

    def _notify_customer(self, wallet):
        """Queue the one email that tells the customer what just happened; it is
        rendered and sent after the commit (``wallet.notification``), and
        states what ``wallet`` (locked, so exact) has available now.

        Called by the ledger on each change, and never when a replayed
        notification finds the entry already made, so no event mails twice.
        """
        self.ensure_one()
        if self.direction == "debit" and self.state != "done":
            return  # a hold, or a released one, has taken nothing yet
        if self.state == "cancel":
            template = "mail_template_wallet_topup_cancelled"
        elif self.state == "pending":
            template = "mail_template_wallet_topup_pending"
        elif self.kind in ("adjustment", "reversal", "clawback"):
            template = "mail_template_wallet_adjustment"
        elif self.direction == "debit" and self.kind in ("refund", "withdrawal"):
            template = "mail_template_wallet_withdrawn"
        elif self.direction == "debit":
            template = "mail_template_wallet_payment"
        else:
            template = "mail_template_wallet_credited"
        self.env["wallet.notification"]._enqueue(self, template, wallet._available())

    def _notify_pending(self):
        """A top-up now waits for money the merchant must confirm: tell the
        customer how to pay, and give each wallet manager a to-do."""
        self.ensure_one()
        self._notify_customer(self._lock_own_wallet())
        self._schedule_manager_todo(
            self, _("Confirm top-up %(ref)s when the money arrives", ref=self.name)
        )

    @api.model
    def _schedule_manager_todo(self, record, summary):
        """A to-do for every Wallet Manager, on ``record``: a top-up to confirm,
        or money that did not go where it should."""
        managers = self.env.ref("website_wallet.group_wallet_manager").sudo().users
        for manager in managers.filtered(lambda user: not user.share and user.active):
            record.sudo().activity_schedule(
                "mail.mail_activity_data_todo", summary=summary, user_id=manager.id
            )

    def _close_activities(self):
        """A settled top-up needs no more follow-up: its managers' to-dos are done."""
        self.sudo().activity_feedback(
            ["mail.mail_activity_data_todo"],
            feedback=_("%(ref)s is %(state)s.", ref=self.name, state=self._state_label()),
        )

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _wallet_recipient(self):
        """The person who acted, when known, rather than the company they work for."""
        self.ensure_one()
        return (
            self.payment_transaction_id.partner_id
            or self.invoice_id.partner_id
            or self.sale_order_id.partner_id
            or self.partner_id
        )

    def _wallet_balance_now(self):
        """The balance an email states: the one the event left when the email
        was queued (see ``wallet.notification``), else the current one."""
        self.ensure_one()
        if "wallet_balance_after" in self.env.context:
            return self.env.context["wallet_balance_after"]
        return self.partner_id.sudo().with_company(self.company_id).wallet_balance
