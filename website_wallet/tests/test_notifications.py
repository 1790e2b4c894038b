import logging
from unittest.mock import patch

from .common import WalletCommon, WalletProviderMixin


class TestNotifications(WalletProviderMixin, WalletCommon):
    """Each event queues exactly one email, to the right person, never twice."""

    def mails(self, entry):
        """Emails to the customer (managers also get their to-do notifications),
        once the queue the ledger fills has been sent."""
        self.env["wallet.notification"]._cron_send()
        return self.env["mail.mail"].search(
            [
                ("model", "=", "wallet.transaction"),
                ("res_id", "=", entry.id),
                ("recipient_ids", "in", (self.customer | self.contact).ids),
            ]
        )

    def assertOneMail(self, entry, subject, recipient, *contains):
        mails = self.mails(entry)
        self.assertEqual(len(mails), 1, mails.mapped("subject"))
        self.assertIn(subject, mails.subject)
        self.assertEqual(mails.recipient_ids, recipient)
        body = mails.body_html
        for text in (entry.name, "/my/wallet", *contains):
            self.assertIn(text, body)
        return mails

    def test_topup_credited(self):
        entry = self.topup(50.0)
        self.assertOneMail(entry, "added to your wallet", self.customer, "50.00")

    def test_wire_topup_pending_then_confirmed_or_cancelled(self):
        wire = self.wire_topup(600.0, confirmed=False)
        transaction = wire.payment_transaction_id
        self.assertFalse(self.mails(wire), "nothing is said before the customer chose to pay")
        transaction._set_pending()
        transaction._post_process()
        pending = self.assertOneMail(
            wire, "is pending", self.customer, "600.00", transaction.reference
        )
        managers = self.env.ref("website_wallet.group_wallet_manager").users.filtered(
            lambda user: not user.share
        )
        self.assertEqual(wire.activity_ids.user_id, managers)
        transaction._post_process()  # processed again: no second email
        self.assertEqual(self.mails(wire), pending)
        wire.with_user(self.wallet_manager).action_confirm()
        self.assertEqual(len(self.mails(wire)), 2)
        self.assertIn("added to your wallet", self.mails(wire)[0].subject)

        other = self.wire_topup(40.0, confirmed=False)
        other.with_user(self.wallet_manager).action_cancel()
        self.assertOneMail(other, "was cancelled", self.customer, "40.00")

    def test_payment_of_an_order_and_of_an_invoice(self):
        self.topup(200.0)
        order = self.make_order(97.0)
        tx = self.wallet_tx(97.0, order=order)
        self.pay(tx)
        entry = tx.wallet_transaction_ids
        self.assertOneMail(entry, "with your wallet", self.contact, "97.00", "103.00", order.name)
        self.pay(tx)
        tx._post_process()
        self.assertEqual(len(self.mails(entry)), 1)
        invoice = self.make_invoice(50.0)
        tx = self.wallet_tx(50.0, invoice=invoice)
        self.pay(tx)
        self.assertOneMail(tx.wallet_transaction_ids, "with your wallet", self.contact, "53.00")

    def test_manual_adjustment_with_its_reason(self):
        entry = self.Ledger._credit(
            self.customer,
            10.0,
            kind="adjustment",
            description="Goodwill for a late delivery",
            counterpart_account_id=self.goodwill_account.id,
        )
        self.assertOneMail(
            entry, "adjusted", self.customer, "Goodwill for a late delivery", "10.00"
        )

    def test_the_sender_is_woken_once_after_the_commit(self):
        """Waking the mailer is no part of the money's transaction: its cron is
        triggered after the commit, once however many emails the transaction
        queued."""
        Notification = self.env["wallet.notification"]
        cron = self.env.ref("website_wallet.cron_send_notifications")
        postcommit = self.env.cr.postcommit
        postcommit.clear()  # what the class set-up's transaction registered
        queued = Notification.search_count([])
        with patch.object(type(cron), "_trigger", autospec=True) as trigger:
            self.topup(5.0)
            self.topup(6.0)
            self.assertEqual(Notification.search_count([]), queued + 2)
            trigger.assert_not_called()
            postcommit.run()
        trigger.assert_called_once()
        self.assertEqual(trigger.call_args.args[0].id, cron.id)

    def test_an_email_that_fails_to_render_does_not_block_the_others(self):
        """One broken email is recorded as failed, on the queue and in its entry's
        chatter; the emails queued after it are sent."""
        first, broken, last = (self.topup(amount) for amount in (1.0, 2.0, 3.0))
        template = type(self.env["mail.template"])
        send_mail = template.send_mail

        def fail_for_broken(templates, res_id, *args, **kwargs):
            if res_id == broken.id:
                raise ValueError("the template no longer renders")
            return send_mail(templates, res_id, *args, **kwargs)

        with (
            patch.object(template, "send_mail", fail_for_broken),
            self.assertLogs("odoo.addons.website_wallet.models.wallet_notification", "WARNING"),
        ):
            self.env["wallet.notification"]._cron_send()
        self.assertEqual(len(self.mails(first)), 1)
        self.assertEqual(len(self.mails(last)), 1)
        self.assertFalse(self.mails(broken))
        failed = self.env["wallet.notification"].search([("entry_id", "=", broken.id)])
        self.assertEqual(failed.state, "failed")
        self.assertIn("no longer renders", failed.failure_reason)
        self.assertIn("could not be sent", broken.message_ids[:1].body)
        self.env["wallet.notification"]._cron_send()
        self.assertEqual(failed.state, "failed", "not tried again and again")


class TestMoneyIsLogged(WalletProviderMixin, WalletCommon):
    """Each money movement and each refusal leaves an INFO line, as payment
    providers log each notification.  (The level is given as a number: Odoo
    names its RUNBOT level "INFO" too.)"""

    def test_movements_and_refusals_are_logged(self):
        with self.assertLogs("odoo.addons.website_wallet", logging.INFO) as logs:
            entry = self.topup(20.0)
            tx = self.wallet_tx(50.0, order=self.make_order(50.0))
            self.assertFalse(self.pay(tx))
        output = "\n".join(logs.output)
        self.assertIn(f"Wallet entry {entry.name} created: topup credit 20.0", output)
        self.assertIn(f"Wallet payment {tx.reference} refused: Insufficient wallet balance", output)
        with self.assertLogs("odoo.addons.website_wallet", logging.INFO) as logs:
            wire = self.wire_topup(30.0)
            wire.with_user(self.wallet_manager).action_confirm()
        self.assertIn(f"Wallet entry {wire.name} confirmed", "\n".join(logs.output))
