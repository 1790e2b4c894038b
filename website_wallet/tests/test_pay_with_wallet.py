import re

from odoo import Command, api
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.website.tools import MockRequest

from .common import (
    ConcurrentWalletCase,
    PayRouteMixin,
    WalletCommon,
    WalletHttpCommon,
    WalletProviderMixin,
    committed_tabs,
    in_parallel,
    process_wallet_payment,
)


class TestWalletProvider(WalletProviderMixin, WalletCommon):
    def compatible(self, amount, user=None, partner=None, report=None, **kwargs):
        Provider = self.env["payment.provider"].with_user(user or self.portal_user).sudo()
        if "sale_order_id" not in kwargs:
            kwargs["sale_order_id"] = self.make_order(amount).id
        return Provider._get_compatible_providers(
            self.company.id,
            (partner or self.contact).id,
            amount,
            currency_id=kwargs.pop("currency_id", self.currency.id),
            report=report,
            **kwargs,
        )

    def reason(self, amount, **kwargs):
        report = {}
        providers = self.compatible(amount, report=report, **kwargs)
        self.assertNotIn(self.wallet_provider, providers)
        return str(report["providers"][self.wallet_provider]["reason"])

    def test_created_enabled_published_with_the_wallet_journal(self):
        provider = self.wallet_provider
        self.assertEqual(
            (provider.code, provider.state, provider.is_published), ("wallet", "enabled", True)
        )
        self.assertEqual(provider.journal_id, self.company.wallet_journal_id)
        self.assertEqual(provider.payment_method_ids.code, "wallet")
        self.assertFalse(provider.support_tokenization)
        self.assertFalse(provider.support_manual_capture)
        self.assertFalse(provider.support_express_checkout)
        self.assertEqual(provider.support_refund, "partial")
        self.assertEqual(provider.payment_method_ids.support_refund, "partial")
        line = provider.journal_id.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id == provider
        )
        self.assertEqual(line.payment_account_id, self.company.wallet_account_id)

    def test_offered_when_the_balance_covers_the_amount(self):
        self.topup(100.0)
        self.assertIn(self.wallet_provider, self.compatible(100.0))
        self.assertIn(self.wallet_provider, self.compatible(99.999))

    def test_every_rule_that_keeps_the_wallet_out_is_reported(self):
        self.topup(100.0)
        eur = self.env.ref("base.EUR")
        eur.active = True
        public = self.env.ref("base.public_user")
        cases = [
            ("logged-in customer", {"user": public}),
            ("own wallet", {"partner": self.other_customer}),
            ("holds USD only", {"currency_id": eur.id}),
            ("only makes payments", {"is_validation": True}),
            ("tokenization not supported", {"force_tokenization": True}),
            ("express checkout not supported", {"is_express_checkout": True}),
            ("its own top-up", {"is_wallet_topup": True}),
            ("orders and invoices only", {"sale_order_id": None}),
        ]
        for expected, kwargs in cases:
            with self.subTest(expected=expected):
                self.assertIn(expected, self.reason(50.0, **kwargs))
        self.assertIn("insufficient wallet balance", self.reason(100.01))

    def test_shortfall_is_shown_only_when_the_balance_is_the_reason(self):
        self.topup(242.50)
        console, gadget = self.make_order(750.0), self.make_order(200.0)
        theirs = self.make_order(10.0, partner=self.other_customer)
        with MockRequest(self.env(user=self.portal_user)) as request:
            Provider = request.env["payment.provider"]
            shortfall = Provider._wallet_shortfall(self.contact.id, 750.0, sale_order_id=console.id)
            self.assertEqual(shortfall["missing"], 507.50)
            self.assertEqual(shortfall["balance"], 242.50)
            self.assertEqual(shortfall["missing_input"], "507.50")
            self.assertEqual(
                Provider._wallet_shortfall(self.contact.id, 200.0, sale_order_id=gadget.id), {}
            )
            self.assertEqual(
                Provider._wallet_shortfall(self.other_customer.id, 10.0, sale_order_id=theirs.id),
                {},
                "not this user's wallet: nothing to offer",
            )
            self.assertEqual(Provider._wallet_shortfall(self.contact.id, 750.0), {}, "no document")
        with MockRequest(self.env(user=self.other_portal_user)) as request:
            shortfall = request.env["payment.provider"]._wallet_shortfall(
                self.other_customer.id, 10.0, sale_order_id=theirs.id
            )
            self.assertEqual((shortfall["balance"], shortfall["missing"]), (0.0, 10.0))

    def test_paying_an_order_confirms_it_and_debits_once(self):
        self.topup(339.50)
        order = self.make_order(97.0)
        tx = self.wallet_tx(97.0, order=order)
        self.assertTrue(self.pay(tx))
        self.assertEqual(tx.state, "done")
        tx._post_process()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.customer.wallet_balance, 242.50)
        entry = tx.wallet_transaction_ids
        self.assertEqual(
            (entry.direction, entry.kind, entry.sale_order_id), ("debit", "payment", order)
        )
        self.assertEqual(tx.payment_id, entry.account_payment_id)
        self.assertEqual(tx.payment_id.journal_id, self.company.wallet_journal_id)
        self.assertEqual(
            tx.payment_id.move_id.line_ids.filtered(lambda line: line.debit).account_id,
            self.company.wallet_account_id,
        )
        tx._post_process()
        self.assertFalse(self.pay(tx) and tx.state != "done")
        self.assertEqual(self.customer.wallet_balance, 242.50)
        self.assertBooksAgree()

    def test_automatic_invoice_is_created_and_paid_by_the_wallet(self):
        self.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", True)
        self.topup(100.0)
        order = self.make_order(60.0)
        tx = self.wallet_tx(60.0, order=order)
        self.pay(tx)
        tx.with_context(skip_sale_auto_invoice_send=True)._post_process()
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertBooksAgree()

    def test_without_automatic_invoice_the_payment_waits_for_the_invoice(self):
        self.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", False)
        self.topup(100.0)
        order = self.make_order(60.0)
        tx = self.wallet_tx(60.0, order=order)
        self.pay(tx)
        tx._post_process()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.invoice_ids)
        self.assertEqual(tx.payment_id.state, "in_process")
        self.assertBooksAgree()

    def test_paying_an_invoice_marks_it_paid(self):
        self.topup(80.0)
        invoice = self.make_invoice(50.0)
        tx = self.wallet_tx(50.0, invoice=invoice)
        self.assertTrue(self.pay(tx))
        tx._post_process()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(tx.wallet_transaction_ids.invoice_id, invoice)
        self.assertEqual(self.customer.wallet_balance, 30.0)
        self.assertBooksAgree()

    def test_an_invoice_installment_can_be_paid(self):
        """30% now, the balance in 60 days: the portal offers the installment."""
        self.topup(100.0)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.contact.id,
                "invoice_payment_term_id": self.env.ref(
                    "account.account_payment_term_advance_60days"
                ).id,
                "invoice_line_ids": [
                    (0, 0, {"name": "Custom work", "price_unit": 200.0, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        tx = self.wallet_tx(60.0, invoice=invoice)
        self.assertTrue(self.pay(tx))
        tx._post_process()
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(invoice.amount_residual, 140.0)
        self.assertEqual(self.customer.wallet_balance, 40.0)
        self.assertFalse(self.pay(self.wallet_tx(30.0, invoice=invoice)), "not an amount due")
        self.assertBooksAgree()

    def test_failed_debit_sets_the_transaction_in_error_and_debits_nothing(self):
        self.topup(40.0)
        order = self.make_order(50.0)
        tx = self.wallet_tx(50.0, order=order)
        self.assertFalse(self.pay(tx))
        self.assertEqual(tx.state, "error")
        self.assertIn("Insufficient wallet balance", tx.state_message)
        self.assertEqual(order.state, "draft")
        self.assertEqual(self.customer.wallet_balance, 40.0)
        self.assertFalse(tx.wallet_transaction_ids)

    def test_altered_amount_is_refused(self):
        self.topup(100.0)
        order = self.make_order(50.0)
        tx = self.wallet_tx(5.0, order=order)
        self.assertFalse(self.pay(tx))
        self.assertEqual(tx.state, "error")
        self.assertEqual(self.customer.wallet_balance, 100.0)
        loose = self.wallet_tx(5.0)
        self.assertFalse(self.pay(loose), "a wallet pays orders and invoices only")

    def test_books_agree_after_topups_orders_and_invoices(self):
        self.topup(339.50)
        for amount in (97.0, 12.25):
            tx = self.wallet_tx(amount, order=self.make_order(amount))
            self.pay(tx)
            tx._post_process()
        wire = self.wire_topup(600.0)
        wire.with_user(self.wallet_manager).action_confirm()
        invoice = self.make_invoice(50.0)
        tx = self.wallet_tx(50.0, invoice=invoice)
        self.pay(tx)
        tx._post_process()
        self.assertAlmostEqual(self.customer.wallet_balance, 339.50 - 97 - 12.25 + 600 - 50)
        self.assertBooksAgree()


@tagged("post_install", "-at_install")
class TestWalletProcessRoute(WalletProviderMixin, WalletHttpCommon):
    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def csrf_token(self):
        page = self.url_open("/my/wallet/add").text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def process(self, tx, method="POST", token=None):
        data = {"reference": tx.reference, "csrf_token": token or self.csrf_token()}
        if method == "GET":
            return self.url_open(
                f"/payment/wallet/process?reference={tx.reference}", allow_redirects=False
            )
        return self.url_open("/payment/wallet/process", data=data, allow_redirects=False)

    def test_owner_pays_once_even_when_clicking_twice(self):
        self.topup(100.0)
        tx = self.wallet_tx(60.0, order=self.make_order(60.0))
        token = self.csrf_token()
        for _click in range(2):
            response = self.process(tx, token=token)
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers["Location"].endswith("/payment/status"))
        self.assertEqual(tx.state, "done")
        self.assertEqual(self.customer.wallet_balance, 40.0)
        self.assertEqual(len(tx.wallet_transaction_ids), 1)
        self.assertBooksAgree()

    def test_failed_debit_sends_the_customer_back_with_the_reason(self):
        self.topup(30.0)
        invoice = self.make_invoice(50.0)
        tx = self.wallet_tx(50.0, invoice=invoice, landing_route=invoice.get_portal_url())
        response = self.process(tx)
        self.assertTrue(response.headers["Location"].endswith("/payment/status"))
        self.assertEqual(tx.state, "error")
        self.assertIn("Insufficient wallet balance", tx.state_message)
        self.assertTrue(tx.landing_route.startswith(invoice.get_portal_url()))
        page = self.url_open(tx.landing_route).text
        self.assertIn("There was an error processing your payment", page)
        self.assertIn("Insufficient wallet balance", page)
        shop_tx = self.wallet_tx(
            50.0, order=self.make_order(50.0), landing_route="/shop/payment/validate"
        )
        self.process(shop_tx)
        self.assertEqual(shop_tx.landing_route, "/shop/payment", "the cart is kept")
        order_tx = self.wallet_tx(50.0, order=self.make_order(50.0))
        order_tx.landing_route = order_tx.sale_order_ids.get_portal_url()
        self.process(order_tx)
        self.assertEqual(order_tx.landing_route, order_tx.sale_order_ids.get_portal_url())
        self.assertIn("Insufficient wallet balance", self.url_open(order_tx.landing_route).text)
        self.assertEqual(self.customer.wallet_balance, 30.0)
        self.assertBooksAgree()

    @mute_logger("odoo.http", "odoo.addons.website_wallet.controllers.payment")
    def test_tampered_requests_are_refused_and_debit_nothing(self):
        self.topup(100.0)
        other_tx = self.wallet_tx(
            10.0,
            order=self.make_order(10.0, partner=self.other_customer),
            partner=self.other_customer,
        )
        self.assertEqual(self.process(other_tx).status_code, 403, "another customer's transaction")
        self.assertEqual(other_tx.state, "draft")
        altered = self.wallet_tx(1.0, order=self.make_order(60.0))
        self.process(altered)
        self.assertEqual(altered.state, "error", "an altered amount")
        done = self.wallet_tx(20.0, order=self.make_order(20.0))
        done._set_done()
        self.process(done)
        cancelled = self.wallet_tx(20.0, order=self.make_order(20.0))
        cancelled._set_canceled()
        self.process(cancelled)
        self.assertEqual(cancelled.state, "cancel")
        draft = self.wallet_tx(20.0, order=self.make_order(20.0))
        self.assertEqual(self.process(draft, method="GET").status_code, 405, "a GET")
        self.assertEqual(
            self.process(draft, token="forged").status_code, 400, "no valid CSRF token"
        )
        self.logout()
        response = self.url_open(
            "/payment/wallet/process", data={"reference": draft.reference}, allow_redirects=False
        )
        self.assertIn(response.status_code, (303, 400), "no session")
        self.assertEqual(draft.state, "draft")
        self.assertEqual(self.customer.wallet_balance, 100.0)
        self.assertFalse(
            self.Ledger.search([("direction", "=", "debit"), ("partner_id", "=", self.customer.id)])
        )

    def test_wallet_is_never_offered_on_public_pay_links(self):
        self.topup(100.0)
        self.logout()
        html = self.url_open(f"/payment/pay?amount=10&partner_id={self.contact.id}").text
        self.assertNotIn(f'data-provider-id="{self.wallet_provider.id}"', html)
        self.assertNotIn("o_wallet_shortfall", html)

    def test_portal_invoice_offers_the_wallet_or_the_shortfall(self):
        invoice = self.make_invoice(50.0)
        url = invoice.get_portal_url()
        html = self.url_open(url).text
        self.assertIn("o_wallet_shortfall", html)
        self.assertIn("/my/wallet/add?amount=50.00", html)
        self.topup(60.0)
        html = self.url_open(url).text
        self.assertIn(f'data-provider-id="{self.wallet_provider.id}"', html)
        self.assertNotIn("o_wallet_shortfall", html)


class TestConcurrentCheckouts(WalletProviderMixin, ConcurrentWalletCase):
    """Two tabs pressing Pay at the same moment, each in its own database cursor
    and retried as Odoo retries a request: two orders for 70% of the balance
    each, or one order the wallet could pay twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_id = cls.committed_wallet("Two Tabs Customer", 100.0)
        _orders, cls.tx_ids = committed_tabs(
            cls.registry, cls.customer_id, 70.0, orders=2, tabs_per_order=1
        )
        cls.rich_customer_id = cls.committed_wallet("Two Tabs One Order", 500.0)
        [cls.order_id], cls.same_order_tx_ids = committed_tabs(
            cls.registry, cls.rich_customer_id, 120.0, orders=1, tabs_per_order=2
        )

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_one_checkout_succeeds_the_other_fails_cleanly(self):
        outcomes = in_parallel(self.registry, process_wallet_payment, self.tx_ids)
        self.assertEqual(sorted(outcomes.values()), ["done", "error"], outcomes)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            txs = env["payment.transaction"].browse(self.tx_ids)
            self.assertEqual(sorted(txs.mapped("state")), ["done", "error"])
            failed = txs.filtered(lambda tx: tx.state == "error")
            self.assertEqual(failed.sale_order_ids.state, "draft", "the order is left unpaid")
            self.assertEqual(env["res.partner"].browse(self.customer_id).wallet_balance, 30.0)
            self.assertEqual(env["wallet.transaction"]._check_ledger(), [])

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_one_order_is_debited_once(self):
        outcomes = in_parallel(self.registry, process_wallet_payment, self.same_order_tx_ids)
        self.assertEqual(sorted(outcomes.values()), ["done", "error"], outcomes)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            order = env["sale.order"].browse(self.order_id)
            self.assertEqual(order.amount_paid, 120.0)
            self.assertEqual(env["res.partner"].browse(self.rich_customer_id).wallet_balance, 380.0)
            debits = env["wallet.transaction"].search(
                [("partner_id", "=", self.rich_customer_id), ("direction", "=", "debit")]
            )
            self.assertEqual(len(debits), 1)
            self.assertEqual(env["wallet.transaction"]._check_ledger(), [])


@tagged("post_install", "-at_install")
class TestWalletInThePaymentFlow(PaymentHttpCommon):
    """The wallet seen through the payment module's own test helpers: the form
    of a payment link, and the redirect form of a wallet transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company._wallet_setup_accounting()
        cls.wallet = cls.env.ref("website_wallet.payment_provider_wallet")
        cls.currency = cls.env.company.currency_id
        cls.partner = cls.portal_partner
        expense = cls.env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", cls.env.company.ids)], limit=1
        )
        cls.env["wallet.transaction"]._credit(
            cls.partner, 500.0, kind="adjustment", counterpart_account_id=expense.id
        )
        product = cls.env["product.product"].create({"name": "Flow item", "list_price": 50.0})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.partner.id,
                "order_line": [Command.create({"product_id": product.id, "tax_id": []})],
            }
        )

    def setUp(self):
        super().setUp()
        self.authenticate(self.portal_user.login, self.portal_user.login)

    def test_a_payment_link_offers_the_wallet_only_with_a_document(self):
        no_document = self._get_portal_pay_context(**self._prepare_pay_values(amount=50.0))
        self.assertNotIn(self.wallet.payment_method_ids.id, no_document["payment_method_ids"])
        with_order = self._get_portal_pay_context(
            **self._prepare_pay_values(amount=50.0), sale_order_id=self.order.id
        )
        self.assertIn(self.wallet.payment_method_ids.id, with_order["payment_method_ids"])

    def test_the_redirect_form_posts_the_reference_with_a_csrf_token(self):
        processing = self._get_processing_values(
            tx_route=f"/my/orders/{self.order.id}/transaction",
            provider_id=self.wallet.id,
            payment_method_id=self.wallet.payment_method_ids.id,
            token_id=None,
            amount=50.0,
            flow="redirect",
            tokenization_requested=False,
            landing_route=self.order.get_portal_url(),
            is_validation=False,
            access_token=self.order._portal_ensure_token(),
        )
        form = self._extract_values_from_html_form(processing["redirect_form_html"])
        self.assertEqual((form["action"], form["method"]), ("/payment/wallet/process", "post"))
        self.assertEqual(form["inputs"]["reference"], processing["reference"])
        self.assertTrue(form["inputs"]["csrf_token"])


@tagged("post_install", "-at_install")
class TestPayOnce(PayRouteMixin, WalletHttpCommon):
    """A wallet pays what a document still owes, once."""

    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def test_two_tabs_pay_one_order_once(self):
        self.topup(300.0)
        order = self.make_order(100.0)
        first_tab = self.order_transaction(order, 100.0)
        second_tab = self.order_transaction(order, 100.0)
        for tab in (first_tab, second_tab):
            self.assertEqual(self.submit(tab).status_code, 303)
        self.assertEqual((first_tab.state, second_tab.state), ("done", "error"))
        self.assertIn("already paid", second_tab.state_message)
        self.assertEqual(order.amount_paid, 100.0)
        self.assertEqual(self.customer.wallet_balance, 200.0)
        self.assertEqual(len(self.wallet_debits()), 1)
        self.assertBooksAgree()

    def test_an_order_paid_by_card_is_not_paid_again_by_the_wallet(self):
        self.topup(300.0)
        order = self.make_order(100.0)
        card = self.order_transaction(order, 100.0, provider=self.demo)
        self.simulate(card, "done")
        self.assertEqual(card.state, "done")
        again = self.order_transaction(order, 100.0)
        self.submit(again)
        self.assertEqual(again.state, "error")
        self.assertIn("already paid", again.state_message)
        self.assertEqual(self.customer.wallet_balance, 300.0)
        self.assertFalse(self.wallet_debits())
        self.assertBooksAgree()

    def test_only_what_is_still_due_after_other_payments(self):
        """40.00 authorised by card: the wallet pays the 60.00 left, not 100.00."""
        self.topup(300.0)
        self.demo.capture_manually = True
        order = self.make_order(100.0)
        card = self.order_transaction(order, 40.0, provider=self.demo)
        self.simulate(card, "done")
        self.assertEqual(card.state, "authorized")
        too_much = self.order_transaction(order, 100.0)
        self.submit(too_much)
        self.assertEqual(too_much.state, "error")
        self.assertIn("60.00", too_much.state_message)
        rest = self.order_transaction(order, 60.0)
        self.submit(rest)
        self.assertEqual(rest.state, "done")
        self.assertEqual(self.customer.wallet_balance, 240.0)
        self.assertBooksAgree()

    def test_a_cancelled_order_is_not_paid(self):
        self.topup(300.0)
        order = self.make_order(100.0)
        tx = self.order_transaction(order, 100.0)
        order._action_cancel()
        self.submit(tx)
        self.assertEqual(tx.state, "error")
        self.assertIn("cancelled", tx.state_message)
        self.assertEqual(self.customer.wallet_balance, 300.0)

    def test_an_invoice_is_paid_once(self):
        self.topup(300.0)
        invoice = self.make_invoice(80.0)
        first, second = (self.invoice_transaction(invoice, 80.0) for _tab in range(2))
        self.submit(first)
        self.submit(second)
        self.assertEqual((first.state, second.state), ("done", "error"))
        self.assertIn("already paid", second.state_message)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.customer.wallet_balance, 220.0)
        self.assertBooksAgree()

    def test_a_credit_note_is_not_paid_with_the_wallet(self):
        self.topup(300.0)
        credit_note = self.make_invoice(30.0, move_type="out_refund")
        tx = self.wallet_tx(30.0, invoice=credit_note)
        self.assertFalse(self.pay(tx))
        self.assertIn("cannot be paid with the wallet", tx.state_message)
        self.assertEqual(self.customer.wallet_balance, 300.0)


@tagged("post_install", "-at_install")
class TestOnlyWhereItCanPay(PayRouteMixin, WalletHttpCommon):
    """The wallet is offered, and accepted, only where it can pay."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True

    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def test_an_invoice_in_another_currency_is_refused_by_the_form_and_the_ledger(self):
        self.topup(300.0)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.contact.id,
                "currency_id": self.eur.id,
                "invoice_line_ids": [
                    Command.create({"name": "Euro work", "price_unit": 50.0, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        page = self.url_open(invoice.get_portal_url()).text
        self.assertNotIn(f'data-provider-id="{self.wallet_provider.id}"', page)
        tx = self.invoice_transaction(invoice, 50.0)
        self.submit(tx)
        self.assertEqual(tx.state, "error")
        self.assertIn("holds USD only", tx.state_message)
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(self.customer.wallet_balance, 300.0)
        self.assertBooksAgree()

    def test_an_unpublished_wallet_provider_pays_nothing(self):
        self.topup(300.0)
        order = self.make_order(40.0)
        tx = self.order_transaction(order, 40.0)
        self.wallet_provider.is_published = False
        self.submit(tx)
        self.assertEqual(tx.state, "error")
        self.assertIn("cannot pay", tx.state_message)
        self.assertEqual(self.customer.wallet_balance, 300.0)

    def test_a_payment_link_without_a_document_never_offers_the_wallet(self):
        self.topup(300.0)
        page = self.url_open("/payment/pay?amount=10").text
        self.assertIn("o_payment_form", page)
        self.assertNotIn(f'data-provider-id="{self.wallet_provider.id}"', page)
        self.assertNotIn("o_wallet_shortfall", page)
        token = re.search(r'data-access-token="([^"]+)"', page).group(1)
        processing = self.make_jsonrpc_request(
            "/payment/transaction",
            self.form_params(
                self.wallet_provider,
                10.0,
                currency_id=self.currency.id,
                partner_id=self.contact.id,
                access_token=token,
                landing_route="/payment/confirmation",
            ),
        )
        tx = self.env["payment.transaction"].search([("reference", "=", processing["reference"])])
        self.submit(tx)
        self.assertEqual(tx.state, "error")
        self.assertIn("orders and invoices only", tx.state_message)
        self.assertEqual(self.customer.wallet_balance, 300.0)

    def test_a_payment_link_of_an_order_shows_the_shortfall(self):
        self.topup(20.0)
        order = self.make_order(70.0)
        with MockRequest(self.env):
            token = payment_utils.generate_access_token(
                order.partner_invoice_id.id, 70.0, self.currency.id
            )
        page = self.url_open(
            f"/payment/pay?sale_order_id={order.id}&amount=70.0&access_token={token}"
        ).text
        self.assertIn("o_wallet_shortfall", page)
        self.assertIn("/my/wallet/add?amount=50.00", page)

    def test_after_a_refusal_the_shop_returns_to_its_payment_step_with_the_reason(self):
        self.topup(10.0)
        product = self.make_product("Too dear", 50.0)
        self.make_jsonrpc_request(
            "/shop/cart/update_json", {"product_id": product.id, "add_qty": 1}
        )
        order = self.env["sale.order"].search(
            [("partner_id", "=", self.contact.id), ("state", "=", "draft")], limit=1
        )
        processing = self.make_jsonrpc_request(
            f"/shop/payment/transaction/{order.id}",
            self.form_params(
                self.wallet_provider,
                50.0,
                access_token=order._portal_ensure_token(),
                landing_route="/shop/payment/validate",
            ),
        )
        tx = self.env["payment.transaction"].search([("reference", "=", processing["reference"])])
        self.assertTrue(self.submit(tx).headers["Location"].endswith("/payment/status"))
        status = self.make_jsonrpc_request("/payment/status/poll")
        self.assertEqual((status["state"], status["landing_route"]), ("error", "/shop/payment"))
        page = self.url_open("/shop/payment").text
        self.assertIn("o_wallet_payment_error", page)
        self.assertIn("Insufficient wallet balance", page)
        self.assertIn("o_payment_form", page, "the cart is still there, ready to pay")
        self.assertEqual(order.state, "draft")
        self.assertEqual(self.customer.wallet_balance, 10.0)
