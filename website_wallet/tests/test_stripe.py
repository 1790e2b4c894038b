from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import StripeMixin, TopupFlowMixin, WalletHttpCommon


@tagged("post_install", "-at_install")
class TestTopupStripe(StripeMixin, TopupFlowMixin, WalletHttpCommon):
    """Stripe as Odoo's payment_stripe ships it; only Stripe's servers are simulated."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_stripe()

    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def test_webhook_credits_the_wallet_once_even_when_delivered_twice(self):
        transaction = self.start_stripe_topup(75.0)
        entry = transaction.wallet_transaction_ids
        self.assertEqual(entry.state, "pending")
        for _delivery in range(2):
            self.assertEqual(self.post_event(self.intent_succeeded(transaction)).status_code, 200)
            self.run_post_processing_cron()
        self.assertEqual(transaction.state, "done")
        self.assertEqual(entry.state, "done")
        self.assertEqual(self.customer.wallet_balance, 75.0)
        self.assertEqual(
            self.Ledger.search_count([("payment_transaction_id", "=", transaction.id)]), 1
        )
        self.assertEqual(
            entry.account_payment_id.destination_account_id, self.company.wallet_account_id
        )
        self.assertBooksAgree()

    @mute_logger("odoo.http", "odoo.addons.payment_stripe.controllers.main")
    def test_bad_signature_credits_nothing(self):
        transaction = self.start_stripe_topup(75.0)
        response = self.post_event(self.intent_succeeded(transaction), secret="whsec_forged")
        self.assertEqual(response.status_code, 403)
        self.run_post_processing_cron()
        self.assertEqual(transaction.state, "draft")
        self.assertEqual(transaction.wallet_transaction_ids.state, "pending")
        self.assertEqual(self.customer.wallet_balance, 0.0)
