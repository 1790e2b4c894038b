import hashlib
import hmac
import json
import time
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TopupFlowMixin, WalletHttpCommon

WEBHOOK_SECRET = "whsec_wallet_tests_0123456789"


@tagged("post_install", "-at_install")
class TestTopupStripe(TopupFlowMixin, WalletHttpCommon):
    """Stripe as Odoo's payment_stripe ships it; only Stripe's servers are simulated."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stripe = cls.env.ref("payment.payment_provider_stripe")
        cls.stripe.write(
            {
                "state": "test",
                "is_published": True,
                "stripe_secret_key": "sk_test_wallet",
                "stripe_publishable_key": "pk_test_wallet",
                "stripe_webhook_secret": WEBHOOK_SECRET,
            }
        )

    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def start_stripe_topup(self, amount):
        intent = {"id": "pi_wallet_test", "client_secret": "pi_wallet_test_secret_x"}
        with patch.object(
            type(self.env["payment.provider"]), "_stripe_make_request", return_value=intent
        ):
            processing = self.start_topup(self.stripe, amount)
        return self.transaction(processing)

    def post_webhook(self, transaction, secret=WEBHOOK_SECRET):
        event = {
            "type": "payment_intent.succeeded",
            "data": {
                "object": {
                    "id": "pi_wallet_test",
                    "description": transaction.reference,
                    "status": "succeeded",
                    "payment_method": {"type": "card", "card": {"brand": "visa"}},
                }
            },
        }
        body = json.dumps(event)
        timestamp = int(time.time())
        signature = hmac.new(
            secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256
        ).hexdigest()
        return self.url_open(
            "/payment/stripe/webhook",
            data=body.encode(),
            headers={
                "Content-Type": "application/json",
                "Stripe-Signature": f"t={timestamp},v1={signature}",
            },
        )

    def test_webhook_credits_the_wallet_once_even_when_delivered_twice(self):
        transaction = self.start_stripe_topup(75.0)
        entry = transaction.wallet_transaction_ids
        self.assertEqual(entry.state, "pending")
        for _delivery in range(2):
            self.assertEqual(self.post_webhook(transaction).status_code, 200)
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
        response = self.post_webhook(transaction, secret="whsec_forged")
        self.assertEqual(response.status_code, 403)
        self.run_post_processing_cron()
        self.assertEqual(transaction.state, "draft")
        self.assertEqual(transaction.wallet_transaction_ids.state, "pending")
        self.assertEqual(self.customer.wallet_balance, 0.0)
