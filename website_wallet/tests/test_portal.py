import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import TopupFlowMixin, WalletHttpCommon, amounts

ROUTES = (
    "/my/wallet",
    "/my/wallet/transactions",
    "/my/wallet/transactions/page/2",
    "/my/wallet/add",
)


@tagged("post_install", "-at_install")
class TestPortalPages(WalletHttpCommon):
    def fill_history(self, count, partner=None):
        for index in range(count):
            self.topup(1.0 + index, partner=partner)

    def get(self, url):
        return self.url_open(url, allow_redirects=False)

    def refs_on(self, html):
        return re.findall(r'class="o_wallet_ref">([^<]+)<', html)

    def test_public_users_are_sent_to_login(self):
        self.fill_history(3)
        for route in (
            *ROUTES,
            "/payment/pay?amount=10&is_wallet_topup=1",
            "/my/wallet/status?tx_id=1",
        ):
            with self.subTest(route=route):
                response = self.get(route)
                self.assertEqual(response.status_code, 303)
                self.assertIn("/web/login", response.headers["Location"])

    def test_owner_sees_balance_pending_and_recent_transactions(self):
        self.fill_history(7)
        self.wire_topup(600.0)
        self.authenticate("wallet_portal", "wallet_portal")
        html = self.get("/my/wallet").text
        self.assertEqual(amounts(html, "o_wallet_balance"), ["28.00"])  # 1 + 2 + ... + 7
        self.assertIn("o_wallet_pending", html)
        self.assertIn("600.00", html)
        self.assertEqual(len(self.refs_on(html)), 5, "the 5 most recent")
        self.assertIn("/my/wallet/transactions", html)
        self.assertIn('href="/my/wallet/add"', html)

    def test_portal_home_and_menu_link_to_the_wallet(self):
        self.topup(12.5)
        self.authenticate("wallet_portal", "wallet_portal")
        html = self.get("/my").text
        self.assertIn('href="/my/wallet"', html)
        self.assertEqual(amounts(html, "o_wallet_home_balance"), ["12.50"])
        self.assertIn("o_wallet_menu_link", html)

    def test_other_customers_never_see_this_wallet(self):
        self.fill_history(3)
        mine = self.Ledger.search([("partner_id", "=", self.customer.id)])
        self.authenticate("wallet_portal_other", "wallet_portal_other")
        for route in ROUTES:
            with self.subTest(route=route):
                html = self.get(route).text
                for ref in mine.mapped("name"):
                    self.assertNotIn(ref, html)
        self.assertEqual(amounts(self.get("/my/wallet").text, "o_wallet_balance"), ["0.00"])

    def test_history_pages_ten_per_page(self):
        self.authenticate("wallet_portal", "wallet_portal")
        for count, pages in ((0, [0]), (10, [10]), (11, [10, 1]), (25, [10, 10, 5])):
            already = self.Ledger.search_count([("partner_id", "=", self.customer.id)])
            self.fill_history(count - already)
            with self.subTest(count=count):
                for page, expected in enumerate(pages, start=1):
                    html = self.get(f"/my/wallet/transactions/page/{page}").text
                    self.assertEqual(len(self.refs_on(html)), expected, f"page {page}")
                self.assertEqual(
                    self.refs_on(self.get("/my/wallet/transactions").text),
                    self.refs_on(self.get("/my/wallet/transactions/page/1").text),
                )
        newest = self.Ledger.search([("partner_id", "=", self.customer.id)], limit=1)
        self.assertEqual(self.refs_on(self.get("/my/wallet/transactions").text)[0], newest.name)
        past_the_end = self.get("/my/wallet/transactions/page/99")
        self.assertEqual(past_the_end.status_code, 200)
        self.assertEqual(
            self.refs_on(past_the_end.text),
            self.refs_on(self.get("/my/wallet/transactions/page/3").text),
        )

    def test_history_running_balance(self):
        self.topup(100.0)
        self.Ledger._debit(self.customer, 30.0, description="Order S00001")
        self.wire_topup(50.0)
        self.authenticate("wallet_portal", "wallet_portal")
        html = self.get("/my/wallet/transactions").text
        self.assertEqual(amounts(html, "o_wallet_running_balance"), ["70.00", "70.00", "100.00"])


@tagged("post_install", "-at_install")
class TestAddMoney(WalletHttpCommon):
    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def amount_form(self, amount):
        page = self.url_open("/my/wallet/add").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return {"amount": amount, "csrf_token": token}

    def post_amount(self, amount):
        return self.url_open("/my/wallet/add", data=self.amount_form(amount), allow_redirects=False)

    def test_amount_is_prefilled_from_the_query(self):
        html = self.url_open("/my/wallet/add?amount=507.50").text
        self.assertIn('value="507.50"', html)
        self.assertIn("Proceed to Add Money", html)

    def test_bad_amounts_come_back_with_a_message_and_create_nothing(self):
        self.env["website"].get_current_website().wallet_topup_max = 1000.0
        cases = {
            "": "Enter the amount",
            "-5": "greater than zero",
            "0": "greater than zero",
            "0.00": "greater than zero",
            "ten": "as a number",
            "1e309": "as a number",
            "NaN": "as a number",
            "inf": "as a number",
            "10.001": "at most 2 decimals",
            "0.50": "minimum top-up",
            "1000.01": "maximum top-up",
        }
        transactions = self.env["payment.transaction"].search_count([])
        for amount, message in cases.items():
            with self.subTest(amount=amount):
                response = self.post_amount(amount)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_wallet_amount_error", response.text)
                self.assertIn(message, response.text)
        self.assertEqual(self.env["payment.transaction"].search_count([]), transactions)
        self.assertFalse(self.Ledger.search([("partner_id", "=", self.customer.id)]))

    def test_post_without_csrf_token_is_refused(self):
        response = self.url_open("/my/wallet/add", data={"amount": "50"}, allow_redirects=False)
        self.assertEqual(response.status_code, 400)

    def test_good_amount_goes_to_odoos_payment_page_for_a_topup(self):
        response = self.post_amount(" 50 ")
        self.assertEqual(response.status_code, 303)
        location = urlsplit(response.headers["Location"])
        self.assertEqual(location.path, "/payment/pay")
        query = parse_qs(location.query)
        self.assertEqual((query["amount"], query["is_wallet_topup"]), (["50.00"], ["1"]))
        self.assertEqual(query["partner_id"], [str(self.contact.id)])

    def test_payment_step_shows_the_payment_form_with_compatible_providers(self):
        demo = self.demo
        html = self.url_open("/my/wallet/add", data=self.amount_form("50")).text
        self.assertIn("o_payment_form", html)
        self.assertIn('data-transaction-route="/my/wallet/transaction"', html)
        self.assertIn('data-landing-route="/my/wallet/status"', html)
        self.assertIn(f'data-provider-id="{demo.id}"', html)
        self.assertNotIn(
            f'data-provider-id="{self.env.ref("website_wallet.payment_provider_wallet").id}"', html
        )
        self.assertIn("o_wallet_pay_amount", html)
        bad = self.url_open("/payment/pay?amount=-3&is_wallet_topup=1")
        self.assertEqual(bad.status_code, 400)
        self.assertNotIn("o_payment_form", bad.text)


@tagged("post_install", "-at_install")
class TestTopupDemo(TopupFlowMixin, WalletHttpCommon):
    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def pay_demo(self, processing_values, state="done"):
        """The demo card answers, then the status page polls."""
        self.simulate(self.transaction(processing_values), state)
        return self.make_jsonrpc_request("/payment/status/poll")

    def test_paid_topup_credits_once_and_lands_on_success(self):
        processing = self.start_topup(self.demo, 50.0)
        tx = self.transaction(processing)
        entry = tx.wallet_transaction_ids
        self.assertEqual((entry.state, entry.kind, entry.amount), ("pending", "topup", 50.0))
        self.assertTrue(tx.reference.startswith(entry.name), "reference leads back to the wallet")
        self.assertEqual(self.customer.wallet_balance, 0.0)

        status = self.pay_demo(processing)
        self.assertEqual(status["state"], "done")
        self.assertEqual(entry.state, "done")
        self.assertEqual(self.customer.wallet_balance, 50.0)
        self.assertEqual(entry.account_payment_id, tx.payment_id)
        self.assertEqual(tx.payment_id.destination_account_id, self.company.wallet_account_id)
        self.assertBooksAgree()

        landing = self.url_open(status["landing_route"]).text
        self.assertIn("o_wallet_topup_done", landing)
        self.assertIn(entry.name, landing)
        self.assertEqual(amounts(landing, "o_wallet_balance"), ["50.00"])
        self.assertIn("Back to My Wallet", landing)

        # A replayed notification, a second poll and the cron change nothing.
        self.pay_demo(processing)
        tx._post_process()
        self.run_post_processing_cron()
        self.assertEqual(self.customer.wallet_balance, 50.0)
        self.assertEqual(self.Ledger.search_count([("payment_transaction_id", "=", tx.id)]), 1)

    def test_cancelled_and_failed_payments_credit_nothing(self):
        for state in ("cancel", "error"):
            with self.subTest(state=state):
                processing = self.start_topup(self.demo, 20.0)
                status = self.pay_demo(processing, state=state)
                entry = self.transaction(processing).wallet_transaction_ids
                self.assertEqual(entry.state, "cancel")
                landing = self.url_open(status["landing_route"]).text
                self.assertIn("o_wallet_topup_failed", landing)
                self.assertIn("Nothing was added to your wallet", landing)
        self.assertEqual(self.customer.wallet_balance, 0.0)
        self.assertEqual(self.customer.wallet_pending, 0.0)
        self.assertBooksAgree()

    def test_tampered_requests_are_refused(self):
        token = self.access_token(50.0)
        refusals = {
            "altered amount": {"amount": 5000.0, "access_token": token},
            "bad amount": {"amount": -1.0},
            "validation": {"is_validation": True},
            "unknown key": {"partner_id": self.other_customer.id},
        }
        for name, overrides in refusals.items():
            with self.subTest(name), self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
                self.start_topup(self.demo, overrides.pop("amount", 50.0), **overrides)
        self.assertFalse(self.Ledger.search([("partner_id", "=", self.customer.id)]))

    def test_status_page_of_another_customer_is_not_found(self):
        processing = self.start_topup(self.demo, 20.0)
        status = self.pay_demo(processing)
        self.authenticate("wallet_portal_other", "wallet_portal_other")
        self.assertEqual(self.url_open(status["landing_route"]).status_code, 404)
        self.authenticate("wallet_portal", "wallet_portal")
        tampered = re.sub(r"access_token=[^&]+", "access_token=forged", status["landing_route"])
        self.assertEqual(self.url_open(tampered).status_code, 404)


@tagged("post_install", "-at_install")
class TestTopupWireTransfer(TopupFlowMixin, WalletHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.transfer.write(
            {"state": "enabled", "is_published": True, "journal_id": cls.bank_journal.id}
        )

    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def pending_topup(self, amount=600.0):
        processing = self.start_topup(self.transfer, amount, flow="redirect")
        self.url_open(
            "/payment/custom/process", data={"reference": processing["reference"]}
        ).raise_for_status()
        status = self.make_jsonrpc_request("/payment/status/poll")
        return self.transaction(processing), status

    def test_wire_transfer_stays_pending_with_bank_details(self):
        tx, status = self.pending_topup()
        entry = tx.wallet_transaction_ids
        self.assertEqual((tx.state, entry.state), ("pending", "pending"))
        self.assertEqual((self.customer.wallet_balance, self.customer.wallet_pending), (0.0, 600.0))
        landing = self.url_open(status["landing_route"]).text
        self.assertIn("o_wallet_topup_pending", landing)
        self.assertIn(tx.reference, landing)
        self.assertIn("once we confirm the payment", landing)
        self.assertIn("o_wallet_pending", self.url_open("/my/wallet").text)

    def test_manager_confirms_the_wallet_entry_and_both_become_done(self):
        tx, _status = self.pending_topup()
        entry = tx.wallet_transaction_ids
        entry.with_user(self.wallet_manager).action_confirm()
        self.assertEqual((tx.state, entry.state), ("done", "done"))
        self.assertEqual((self.customer.wallet_balance, self.customer.wallet_pending), (600.0, 0.0))
        wallet_line = entry.move_id.line_ids.filtered(
            lambda line: line.account_id == self.company.wallet_account_id
        )
        self.assertEqual(wallet_line.credit, 600.0)
        self.assertFalse(
            entry.move_id.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            ),
            "a top-up never touches the receivable",
        )
        self.assertBooksAgree()

    def test_confirming_the_payment_transaction_confirms_the_entry(self):
        tx, _status = self.pending_topup(80.0)
        tx._set_done()
        self.run_post_processing_cron()
        self.assertEqual(tx.wallet_transaction_ids.state, "done")
        self.assertEqual(self.customer.wallet_balance, 80.0)
        self.assertBooksAgree()

    def test_cancel_cancels_both(self):
        tx, _status = self.pending_topup(80.0)
        tx.wallet_transaction_ids.with_user(self.wallet_manager).action_cancel()
        self.assertEqual((tx.state, tx.wallet_transaction_ids.state), ("cancel", "cancel"))
        self.assertEqual((self.customer.wallet_balance, self.customer.wallet_pending), (0.0, 0.0))

    def test_wallet_user_cannot_confirm(self):
        tx, _status = self.pending_topup(80.0)
        with self.assertRaises(AccessError):
            tx.wallet_transaction_ids.with_user(self.wallet_user).action_confirm()
        self.assertEqual(tx.state, "pending")


@tagged("post_install", "-at_install")
class TestPromotionalCreditOnThePortal(WalletHttpCommon):
    def test_my_wallet_shows_cash_and_promotional_credit_apart_with_the_next_expiry(self):
        self.topup(30.0)
        expiry = fields.Date.today() + timedelta(days=10)
        for amount, days in ((6.0, 10), (4.0, 10), (5.0, 40)):
            self.Ledger._credit(
                self.customer,
                amount,
                kind="grant",
                description="Gift",
                lot_values={"expiry_date": fields.Date.today() + timedelta(days=days)},
            )
        self.authenticate("wallet_portal", "wallet_portal")
        html = self.url_open("/my/wallet").text
        self.assertEqual(amounts(html, "o_wallet_balance"), ["45.00"])
        self.assertEqual(amounts(html, "o_wallet_cash"), ["30.00"])
        self.assertEqual(amounts(html, "o_wallet_promo"), ["15.00"])
        self.assertEqual(amounts(html, "o_wallet_promo_expiring"), ["10.00"])
        self.assertIn(expiry.strftime("%m/%d/%Y"), html)
        self.assertEqual(html.count("o_wallet_fund_promo"), 3)

    def test_a_wallet_of_cash_only_shows_no_funds_line(self):
        self.topup(30.0)
        self.authenticate("wallet_portal", "wallet_portal")
        html = self.url_open("/my/wallet").text
        self.assertNotIn("o_wallet_funds", html)
        self.assertNotIn("o_wallet_fund_promo", html)
