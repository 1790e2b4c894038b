"""Partial payment: the wallet's balance and another payment method
for the rest, through the toggle routes, the standard payment form and its
transaction routes.  After each, the ledger, the aggregate and the books agree."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import PayRouteMixin, WalletHttpCommon, amounts


@tagged("post_install", "-at_install")
class TestSplitCheckout(PayRouteMixin, WalletHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.transfer.write(
            {"state": "enabled", "is_published": True, "journal_id": cls.bank_journal.id}
        )
        cls.console = cls.make_product("Split Console", 750.0)
        cls.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", True)

    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def cart(self, product=None, quantity=1):
        self.make_jsonrpc_request(
            "/shop/cart/update_json",
            {"product_id": (product or self.console).id, "add_qty": quantity},
        )
        return self.env["sale.order"].search(
            [("partner_id", "=", self.contact.id), ("state", "=", "draft")], limit=1
        )

    def use_wallet(self, use=True):
        return self.make_jsonrpc_request("/shop/payment/wallet", {"use": use})

    def pay_rest(self, order, amount, provider=None):
        """What the payment form does with the split on: the shop's own route."""
        processing = self.make_jsonrpc_request(
            f"/shop/payment/transaction/{order.id}",
            self.form_params(
                provider or self.demo,
                amount,
                access_token=order._portal_ensure_token(),
                landing_route="/shop/payment/validate",
            ),
        )
        return self.env["payment.transaction"].search([("reference", "=", processing["reference"])])

    def held(self):
        return self.customer.wallet_held

    def test_the_checkout_shows_cash_and_promotional_credit_apart(self):
        self.topup(800.0)
        expiry = fields.Date.today() + timedelta(days=15)
        self.Ledger._credit(self.customer, 20.0, kind="grant", lot_values={"expiry_date": expiry})
        self.cart()
        page = self.url_open("/shop/payment").text
        self.assertIn(f'data-provider-id="{self.wallet_provider.id}"', page)
        self.assertEqual(amounts(page, "o_wallet_cash"), ["800.00"])
        self.assertEqual(amounts(page, "o_wallet_promo"), ["20.00"])
        self.assertEqual(amounts(page, "o_wallet_promo_expiring"), ["20.00"])
        self.assertIn(expiry.strftime("%m/%d/%Y"), page)

    def test_the_seed_numbers_as_a_split(self):
        """242.50 from the wallet and 507.50 by card: a confirmed order, a wallet at
        0.00, and an invoice paid by two payments."""
        self.topup(242.50)
        order = self.cart()
        self.assertEqual(
            self.use_wallet(),
            {"use": True, "wallet_amount": 242.50, "remaining_amount": 507.50},
        )
        page = self.url_open("/shop/payment").text
        self.assertIn("o_wallet_split_toggle", page)
        self.assertRegex(page, r'o_wallet_split_toggle"[^>]*checked')
        self.assertIn('data-amount="507.5"', page)
        self.assertIn(f'data-transaction-route="/shop/payment/transaction/{order.id}"', page)
        self.assertNotIn(f'data-provider-id="{self.wallet_provider.id}"', page)
        self.assertNotIn(f'data-provider-id="{self.transfer.id}"', page)
        self.assertIn("o_wallet_split_note", page)

        card = self.pay_rest(order, 507.50)
        part = card.wallet_split_transaction_id
        self.assertEqual((part.provider_code, part.state, part.amount), ("wallet", "draft", 242.5))
        self.assertEqual((self.customer.wallet_balance, self.held()), (0.0, 242.50))
        self.assertFalse(part.payment_id, "a hold books nothing")
        self.assertBooksAgree()
        my_wallet = self.url_open("/my/wallet").text
        self.assertIn("o_wallet_held", my_wallet)
        self.assertIn("242.50", my_wallet)

        self.simulate(card, "done")
        status = self.make_jsonrpc_request("/payment/status/poll")
        self.assertEqual(status["state"], "done")
        self.assertEqual((card.state, part.state), ("done", "done"))
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.amount_paid, 750.0)
        self.assertEqual((self.customer.wallet_balance, self.held()), (0.0, 0.0))
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        paid_by = invoice._get_reconciled_payments()
        self.assertEqual(
            sorted(paid_by.mapped("journal_id.id")),
            sorted((self.company.wallet_journal_id | self.demo.journal_id).ids),
        )
        self.assertBooksAgree()

    def test_a_card_failure_releases_the_hold(self):
        self.topup(242.50)
        order = self.cart()
        self.use_wallet()
        card = self.pay_rest(order, 507.50)
        self.simulate(card, "error")
        self.assertEqual(card.wallet_split_transaction_id.state, "cancel")
        self.assertEqual((self.customer.wallet_balance, self.held()), (242.50, 0.0))
        self.assertEqual(order.state, "draft")
        self.assertBooksAgree()

    def test_an_abandoned_rest_is_released_by_the_cron_and_a_late_success_still_pays(self):
        self.topup(242.50)
        order = self.cart()
        self.use_wallet()
        card = self.pay_rest(order, 507.50)
        self.env["payment.transaction"]._cron_wallet_release_abandoned_splits()
        self.assertEqual(self.held(), 242.50, "not abandoned yet")
        later = card.create_date + timedelta(hours=1, minutes=1)
        with patch.object(fields.Datetime, "now", lambda: later):
            self.env["payment.transaction"]._cron_wallet_release_abandoned_splits()
        self.assertEqual((self.customer.wallet_balance, self.held()), (242.50, 0.0))
        self.simulate(card, "done")  # the shopper came back and paid after all
        self.make_jsonrpc_request("/payment/status/poll")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.amount_paid, 750.0)
        self.assertEqual(self.customer.wallet_balance, 0.0)
        self.assertBooksAgree()

    def test_a_late_success_the_wallet_can_no_longer_pay_is_flagged_not_lost(self):
        self.topup(242.50)
        order = self.cart()
        self.use_wallet()
        card = self.pay_rest(order, 507.50)
        card._wallet_release_split()
        self.Ledger._debit(self.customer, 100.0, description="Spent meanwhile")
        self.simulate(card, "done")
        self.make_jsonrpc_request("/payment/status/poll")
        self.assertEqual(card.state, "done")
        self.assertEqual(order.state, "draft", "not confirmed at half its price")
        self.assertEqual(order.amount_paid, 507.50)
        self.assertEqual(self.customer.wallet_balance, 142.50)
        self.assertTrue(order.activity_ids.filtered(lambda a: card.reference in a.summary))
        self.assertBooksAgree()

    def test_a_changed_cart_releases_the_hold_and_the_split_is_computed_again(self):
        self.topup(242.50)
        order = self.cart()
        self.use_wallet()
        old_card = self.pay_rest(order, 507.50)
        self.assertEqual(self.held(), 242.50)
        self.cart(quantity=1)  # a second console: 1,500.00
        self.assertEqual(self.held(), 0.0)
        self.assertEqual(old_card.wallet_split_transaction_id.state, "cancel")
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.pay_rest(order, 507.50)  # the old remainder
        card = self.pay_rest(order, 1257.50)
        self.assertEqual(self.held(), 242.50)
        self.simulate(card, "done")
        self.make_jsonrpc_request("/payment/status/poll")
        self.assertEqual((order.state, order.amount_paid), ("sale", 1500.0))
        self.assertBooksAgree()

    def test_two_tabs_hold_once_and_the_last_attempt_pays(self):
        self.topup(242.50)
        order = self.cart()
        self.use_wallet()
        first = self.pay_rest(order, 507.50)
        second = self.pay_rest(order, 507.50)
        self.assertEqual(first.wallet_split_transaction_id.state, "cancel")
        self.assertEqual(self.held(), 242.50, "one hold per document")
        self.simulate(second, "done")
        self.make_jsonrpc_request("/payment/status/poll")
        self.assertEqual((order.state, order.amount_paid), ("sale", 750.0))
        self.simulate(first, "cancel")
        self.assertEqual(order.amount_paid, 750.0)
        self.assertEqual(self.customer.wallet_balance, 0.0)
        self.assertBooksAgree()

    def test_tampering_is_refused_and_holds_nothing(self):
        self.topup(242.50)
        order = self.cart()
        self.use_wallet()
        for provider, amount in ((self.demo, 100.0), (self.demo, 507.49), (self.transfer, 507.50)):
            with (
                self.subTest(provider=provider.code, amount=amount),
                self.assertRaises(JsonRpcException),
                mute_logger("odoo.http"),
            ):
                self.pay_rest(order, amount, provider=provider)
        self.assertEqual(self.held(), 0.0)
        self.assertFalse(order.transaction_ids)
        self.logout()
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.use_wallet()
        self.assertBooksAgree()

    def test_a_whole_payment_ignores_the_stored_choice(self):
        """Express checkout from the cart pays the whole total: a plain card
        payment, whatever was chosen at the payment step; the wallet keeps
        its money."""
        self.topup(242.50)
        order = self.cart()
        self.use_wallet()
        card = self.pay_rest(order, 750.0)
        self.assertFalse(card.wallet_split_transaction_id)
        self.assertEqual(self.held(), 0.0)
        self.simulate(card, "done")
        self.make_jsonrpc_request("/payment/status/poll")
        self.assertEqual((order.state, order.amount_paid), ("sale", 750.0))
        self.assertEqual(self.customer.wallet_balance, 242.50)
        self.assertBooksAgree()

    def test_the_wallet_part_is_paid_only_with_the_rest_never_through_the_wallet_route(self):
        """The part's reference is predictable; posting it to the wallet's own
        processing route is refused, and the part is captured with the card."""
        self.topup(242.50)
        order = self.cart()
        self.use_wallet()
        card = self.pay_rest(order, 507.50)
        part = card.wallet_split_transaction_id
        with mute_logger("odoo.http", "odoo.addons.payment.models.payment_transaction"):
            self.submit(part)
        self.assertEqual(part.state, "draft")
        self.assertEqual(part.wallet_transaction_ids.state, "pending", "still only held")
        self.assertBooksAgree()
        self.simulate(card, "done")
        self.make_jsonrpc_request("/payment/status/poll")
        self.assertEqual((part.state, part.wallet_transaction_ids.state), ("done", "done"))
        self.assertEqual((order.state, order.amount_paid), ("sale", 750.0))
        self.assertBooksAgree()

    def test_the_stored_choice_never_makes_the_order_page_unpayable(self):
        """The order's own page has no toggle: it ignores the choice made at the
        shop's payment step, offers every provider and takes the whole total."""
        self.topup(242.50)
        order = self.cart()
        self.use_wallet()
        order.require_payment = True
        page = self.url_open(order.get_portal_url()).text
        self.assertIn(f'data-provider-id="{self.demo.id}"', page)
        self.assertIn(f'data-provider-id="{self.transfer.id}"', page)
        self.assertNotIn("o_wallet_split_toggle", page)
        card = self.order_transaction(order, 750.0, provider=self.demo)
        self.assertFalse(card.wallet_split_transaction_id)
        self.assertEqual(self.held(), 0.0)
        self.simulate(card, "done")
        self.make_jsonrpc_request("/payment/status/poll")
        self.assertEqual((order.state, order.amount_paid), ("sale", 750.0))
        self.assertEqual(self.customer.wallet_balance, 242.50)
        self.assertBooksAgree()

    def test_the_rest_runs_the_checks_of_a_plain_shop_payment(self):
        """The card part goes through the shop's route: the cart must be ready to
        be paid, and every module's check of the transaction runs."""
        self.topup(242.50)
        order = self.cart()
        self.use_wallet()
        checked = []
        sale_order = type(self.env["sale.order"])
        original = sale_order._check_cart_is_ready_to_be_paid

        def check_cart(orders):
            checked.append(orders.id)
            return original(orders)

        with patch.object(sale_order, "_check_cart_is_ready_to_be_paid", check_cart):
            card = self.pay_rest(order, 507.50)
        self.assertEqual(checked, [order.id])
        self.assertEqual(card.amount, 507.50)
        self.assertEqual(card.wallet_split_transaction_id.amount, 242.50)

        # Goods need a shipping method before the shop takes money.
        goods = self.make_product("Split Goods", 10.0)
        goods.type = "consu"
        self.cart(goods)
        split = self.use_wallet()  # a new attempt, for the new total
        attempts = order.transaction_ids
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.pay_rest(order, split["remaining_amount"])
        self.assertEqual(order.transaction_ids, attempts, "no new payment")
        self.assertEqual(self.held(), 0.0, "the changed cart released the first hold")
        self.assertBooksAgree()

    def test_the_toggle_is_off_by_default_and_can_be_switched_off(self):
        self.topup(242.50)
        order = self.cart()
        page = self.url_open("/shop/payment").text
        self.assertIn("o_wallet_split_toggle", page)
        self.assertNotRegex(page, r'o_wallet_split_toggle"[^>]*checked')
        self.assertIn('data-amount="750.0"', page)
        self.use_wallet()
        self.assertTrue(order.wallet_use_balance)
        self.assertEqual(self.use_wallet(False)["use"], False)
        self.assertIn('data-amount="750.0"', self.url_open("/shop/payment").text)

    def test_no_toggle_when_the_wallet_covers_the_total_or_is_empty(self):
        self.cart()
        self.assertNotIn("o_wallet_split_toggle", self.url_open("/shop/payment").text)
        self.assertEqual(self.use_wallet()["use"], False, "an empty wallet has no part")
        self.topup(800.0)
        page = self.url_open("/shop/payment").text
        self.assertNotIn("o_wallet_split_toggle", page)
        self.assertIn(f'data-provider-id="{self.wallet_provider.id}"', page)

    def test_the_payment_step_costs_few_queries_with_the_toggle_off(self):
        """The wallet adds at most 3 queries to /shop/payment (toggle off), compared
        with the same page on a website where the wallet is turned off, which
        runs none of the wallet's code (stock Odoo: 42 queries, with the
        wallet 43, on the demo database)."""
        self.topup(242.50)
        self.cart()
        website = self.env["website"].get_current_website()

        def queries():
            self.url_open("/shop/payment")  # warm the caches
            before = self.cr.sql_log_count
            self.url_open("/shop/payment")
            return self.cr.sql_log_count - before

        with_wallet = queries()
        website.wallet_enabled = False
        without_wallet = queries()
        self.assertLessEqual(with_wallet - without_wallet, 3)


@tagged("post_install", "-at_install")
class TestSplitInvoice(PayRouteMixin, WalletHttpCommon):
    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def use_wallet(self, invoice, use=True, access_token=None):
        return self.make_jsonrpc_request(
            f"/my/invoices/{invoice.id}/wallet",
            {"use": use, "access_token": access_token or invoice._portal_ensure_token()},
        )

    def test_an_invoice_paid_from_the_wallet_and_by_card(self):
        self.topup(30.0)
        invoice = self.make_invoice(100.0)
        self.assertEqual(
            self.use_wallet(invoice),
            {"use": True, "wallet_amount": 30.0, "remaining_amount": 70.0},
        )
        page = self.url_open(invoice.get_portal_url()).text
        self.assertRegex(page, r'o_wallet_split_toggle"[^>]*checked')
        self.assertIn('data-amount="70.0"', page)
        card = self.invoice_transaction(invoice, 70.0, provider=self.demo)
        self.assertEqual(self.customer.wallet_held, 30.0)
        self.simulate(card, "done")
        self.make_jsonrpc_request("/payment/status/poll")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(len(invoice._get_reconciled_payments()), 2)
        self.assertEqual((self.customer.wallet_balance, self.customer.wallet_held), (0.0, 0.0))
        self.assertBooksAgree()

    @mute_logger("odoo.http")
    def test_the_route_is_the_owners_only(self):
        self.topup(30.0, partner=self.other_customer)
        theirs = self.make_invoice(100.0, partner=self.other_customer)
        for token in (theirs._portal_ensure_token(), "forged"):
            with self.subTest(token=token), self.assertRaises(JsonRpcException):
                self.use_wallet(theirs, access_token=token)
        self.assertFalse(theirs.wallet_use_balance)
        self.logout()
        mine = self.make_invoice(100.0)
        with self.assertRaises(JsonRpcException):
            self.use_wallet(mine)
        self.assertFalse(mine.wallet_use_balance)


@tagged("post_install", "-at_install")
class TestSplitTours(WalletHttpCommon):
    """The toggle in Chromium, at checkout and on an invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_product("Wallet Console", 750.0)
        cls.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", False)

    def test_checkout_pays_the_rest_by_card(self):
        self.topup(242.50)
        self.start_tour("/shop", "website_wallet_split_checkout", login="wallet_portal")
        order = self.env["sale.order"].search([("partner_id", "=", self.contact.id)], limit=1)
        self.assertEqual((order.state, order.amount_paid), ("sale", 750.0))
        self.assertEqual(self.customer.wallet_balance, 0.0)
        self.assertBooksAgree()

    def test_invoice_pays_the_rest_by_card(self):
        self.topup(30.0)
        invoice = self.make_invoice(100.0)
        url = invoice.get_portal_url()
        self.start_tour(url, "website_wallet_split_invoice", login="wallet_portal")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.customer.wallet_balance, 0.0)
        self.assertBooksAgree()
