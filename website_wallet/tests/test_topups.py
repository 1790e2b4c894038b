"""Top-ups credit exactly what was received, whichever way the payment got
there: captured in parts, done after an error, after expiring, or confirmed by
hand."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import TopupFlowMixin, WalletHttpCommon


@tagged("post_install", "-at_install")
class TestTopupCreditsWhatWasReceived(TopupFlowMixin, WalletHttpCommon):
    """A top-up credits exactly what was received, whatever path it takes."""

    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def test_a_partial_capture_credits_the_captured_amount(self):
        self.demo.capture_manually = True
        tx = self.transaction(self.start_topup(self.demo, 100.0))
        self.simulate(tx, "done")
        self.run_post_processing_cron()
        self.assertEqual(tx.state, "authorized")
        self.assertEqual(self.customer.wallet_balance, 0.0)
        accountant = new_test_user(
            self.env, login="wallet_billing_capture", groups="account.group_account_invoice"
        )
        action = tx.with_user(accountant).action_capture()
        wizard = (
            self.env[action["res_model"]]
            .with_user(accountant)
            .with_context(**action["context"])
            .create({"amount_to_capture": 30.0, "void_remaining_amount": True})
        )
        wizard.action_capture()
        self.run_post_processing_cron()
        self.assertEqual(tx.state, "done")
        self.assertEqual(self.customer.wallet_balance, 30.0)
        self.assertEqual(self.customer.wallet_pending, 0.0)
        capture = tx.child_transaction_ids.filtered(lambda child: child.state == "done")
        self.assertEqual(capture.wallet_transaction_ids.amount, 30.0)
        self.assertEqual(tx.wallet_transaction_ids.state, "cancel")
        self.assertBooksAgree()

    def test_error_then_done_credits_on_done(self):
        tx = self.transaction(self.start_topup(self.demo, 45.0))
        self.simulate(tx, "error")
        self.run_post_processing_cron()
        self.assertEqual(tx.wallet_transaction_ids.state, "cancel")
        self.simulate(tx, "done")  # the provider reports success after all
        self.run_post_processing_cron()
        self.assertEqual(tx.state, "done")
        self.assertEqual(self.customer.wallet_balance, 45.0)
        live = tx.wallet_transaction_ids.filtered(lambda entry: entry.state == "done")
        self.assertEqual(live.amount, 45.0)
        self.simulate(tx, "done")  # replayed
        self.run_post_processing_cron()
        self.assertEqual(self.customer.wallet_balance, 45.0)
        self.assertBooksAgree()

    def test_an_abandoned_card_topup_expires_and_a_late_success_still_credits(self):
        tx = self.transaction(self.start_topup(self.demo, 25.0))
        self.assertEqual(self.customer.wallet_pending, 25.0)
        self.Ledger._cron_expire_abandoned()
        self.assertEqual(tx.wallet_transaction_ids.state, "pending", "not yet expired")
        with patch.object(
            fields.Datetime, "now", lambda: tx.create_date + timedelta(days=1, minutes=1)
        ):
            self.Ledger._cron_expire_abandoned()
        self.assertEqual(tx.wallet_transaction_ids.state, "cancel")
        self.assertEqual(self.customer.wallet_pending, 0.0)
        self.assertEqual(tx.state, "draft", "the payment itself may still succeed")
        self.simulate(tx, "done")
        self.run_post_processing_cron()
        self.assertEqual(self.customer.wallet_balance, 25.0)
        self.assertBooksAgree()

    def test_only_a_pending_wire_transfer_is_confirmed_by_hand(self):
        card = self.transaction(self.start_topup(self.demo, 25.0))
        with self.assertRaisesRegex(UserError, "cannot be confirmed by hand"):
            card.wallet_transaction_ids.with_user(self.wallet_manager).action_confirm()
        transfer = self.transfer
        transfer.write(
            {"state": "enabled", "is_published": True, "journal_id": self.bank_journal.id}
        )
        wire = self.transaction(self.start_topup(transfer, 60.0, flow="redirect"))
        with self.assertRaisesRegex(UserError, "cannot be confirmed by hand"):
            wire.wallet_transaction_ids.with_user(self.wallet_manager).action_confirm()
        wire._set_pending()
        wire.wallet_transaction_ids.with_user(self.wallet_manager).action_confirm()
        self.assertEqual(self.customer.wallet_balance, 60.0)
        # A manager's cancel of the card top-up drops its pending entry only.
        card.wallet_transaction_ids.with_user(self.wallet_manager).action_cancel()
        self.assertEqual(card.state, "draft")
        self.assertEqual(self.customer.wallet_pending, 0.0)
        self.assertBooksAgree()
