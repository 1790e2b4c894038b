"""Money integrity at the edges (issue 9): each class of defect, through the
routes, buttons and wizards that users reach, as each kind of user.  After each
test that moves money, the ledger, the aggregate and the books agree."""

import re
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.payment import utils as payment_utils
from odoo.addons.website.tools import MockRequest

from ..controllers.portal import is_local_url
from .common import (
    PayRouteMixin,
    TopupFlowMixin,
    WalletCommon,
    WalletHttpCommon,
    WalletProviderMixin,
)


@tagged("post_install", "-at_install")
class TestPayOnce(PayRouteMixin, WalletHttpCommon):
    """1. A wallet pays what a document still owes, once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_wallet_provider()
        cls.demo = cls.env.ref("payment.payment_provider_demo")
        cls.demo.write({"state": "test", "is_published": True})

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
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {"reference": card.reference, "payment_details": "4242", "simulated_state": "done"},
        )
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
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {"reference": card.reference, "payment_details": "4242", "simulated_state": "done"},
        )
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
    """2. The wallet is offered, and accepted, only where it can pay."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_wallet_provider()
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


@tagged("post_install", "-at_install")
class TestTopupCreditsWhatWasReceived(TopupFlowMixin, WalletHttpCommon):
    """3. A top-up credits exactly what was received, whatever path it takes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo = cls.env.ref("payment.payment_provider_demo")
        cls.demo.write({"state": "test", "is_published": True})

    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def simulate(self, tx, state):
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {"reference": tx.reference, "payment_details": "4242", "simulated_state": state},
        )
        self.run_post_processing_cron()

    def test_a_partial_capture_credits_the_captured_amount(self):
        self.demo.capture_manually = True
        tx = self.transaction(self.start_topup(self.demo, 100.0))
        self.simulate(tx, "done")
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
        self.assertEqual(tx.wallet_transaction_ids.state, "cancel")
        self.simulate(tx, "done")  # the provider reports success after all
        self.assertEqual(tx.state, "done")
        self.assertEqual(self.customer.wallet_balance, 45.0)
        live = tx.wallet_transaction_ids.filtered(lambda entry: entry.state == "done")
        self.assertEqual(live.amount, 45.0)
        self.simulate(tx, "done")  # replayed
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
        self.assertEqual(self.customer.wallet_balance, 25.0)
        self.assertBooksAgree()

    def test_only_a_pending_wire_transfer_is_confirmed_by_hand(self):
        card = self.transaction(self.start_topup(self.demo, 25.0))
        with self.assertRaisesRegex(UserError, "cannot be confirmed by hand"):
            card.wallet_transaction_ids.with_user(self.wallet_manager).action_confirm()
        transfer = self.env.ref("payment.payment_provider_transfer")
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


@tagged("post_install", "-at_install")
class TestOnlyTheFrameworkCreatesMoney(PayRouteMixin, WalletHttpCommon):
    """4. Only a Wallet Manager, or the provider's own notification, turns a
    transaction into wallet money: plain writes by other back-office users are
    refused, over RPC as they would make them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_wallet_provider()
        cls.billing = new_test_user(
            cls.env,
            login="wallet_billing",
            groups="base.group_user,account.group_account_invoice",
        )

    def rpc(self, login, model, method, args, kwargs=None):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def assertRefused(self, login, model, method, args):
        with self.assertRaises(JsonRpcException) as caught, mute_logger("odoo.http"):
            self.rpc(login, model, method, args)
        self.assertEqual(str(caught.exception.args[-1]).rsplit(".", 1)[-1], "AccessError")

    def test_a_billing_user_cannot_confirm_a_wire_transfer_by_writing_its_state(self):
        wire = self.wire_topup(600.0)
        tx = wire.payment_transaction_id
        for vals in ({"state": "done"}, {"amount": 6000.0}, {"partner_id": self.other_customer.id}):
            with self.subTest(vals=vals):
                self.assertRefused("wallet_billing", "payment.transaction", "write", [tx.ids, vals])
        self.run_post_processing_cron()
        self.assertEqual((tx.state, tx.amount, wire.state), ("pending", 600.0, "pending"))
        self.assertEqual(self.customer.wallet_balance, 0.0)

    def test_a_billing_user_cannot_create_money_with_a_new_transaction(self):
        transfer = self.env.ref("payment.payment_provider_transfer")
        self.assertRefused(
            "wallet_billing",
            "payment.transaction",
            "create",
            [
                {
                    "provider_id": transfer.id,
                    "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                    "amount": 500.0,
                    "currency_id": self.currency.id,
                    "partner_id": self.customer.id,
                    "is_wallet_topup": True,
                    "state": "done",
                }
            ],
        )
        order = self.make_order(80.0)
        self.assertRefused(
            "wallet_billing",
            "payment.transaction",
            "create",
            [
                {
                    "provider_id": self.wallet_provider.id,
                    "payment_method_id": self.wallet_provider.payment_method_ids.id,
                    "amount": 80.0,
                    "currency_id": self.currency.id,
                    "partner_id": self.customer.id,
                    "sale_order_ids": [Command.set(order.ids)],
                    "state": "done",
                }
            ],
        )
        self.assertEqual(order.state, "draft")
        self.assertFalse(self.Ledger.search([("partner_id", "=", self.customer.id)]))

    def test_a_billing_user_cannot_mark_a_wallet_payment_done(self):
        self.topup(100.0)
        tx = self.wallet_tx(80.0, order=self.make_order(80.0))
        self.assertRefused(
            "wallet_billing", "payment.transaction", "write", [tx.ids, {"state": "done"}]
        )
        self.assertEqual(tx.state, "draft")
        self.assertEqual(tx.sale_order_ids.state, "draft")

    def test_other_transactions_stay_editable_and_a_manager_may_confirm(self):
        demo = self.env.ref("payment.payment_provider_demo")
        other = self.env["payment.transaction"].create(
            {
                "provider_id": demo.id,
                "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                "amount": 10.0,
                "currency_id": self.currency.id,
                "partner_id": self.other_customer.id,
            }
        )
        self.rpc("wallet_billing", "payment.transaction", "write", [other.ids, {"amount": 12.0}])
        self.assertEqual(other.amount, 12.0)
        manager = self.wallet_manager
        manager.groups_id += self.env.ref("account.group_account_invoice")
        wire = self.wire_topup(70.0)
        self.rpc(
            "wallet_boss",
            "payment.transaction",
            "write",
            [wire.payment_transaction_id.ids, {"state": "done"}],
        )
        self.run_post_processing_cron()
        self.assertEqual(self.customer.wallet_balance, 70.0)
        self.assertBooksAgree()


class TestMergeContacts(WalletCommon):
    """5. Merging contacts keeps every cent."""

    def merge(self, partners, keep):
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge(partners.ids, dst_partner=keep)

    def test_merged_wallets_are_added_together(self):
        duplicate = self.env["res.partner"].create({"name": "Wallet Customer Inc (old)"})
        self.topup(120.0)
        self.topup(35.5, partner=duplicate)
        self.wire_topup(40.0, partner=duplicate)
        self.Ledger._debit(duplicate, 10.0)
        entries = self.Ledger.search([("partner_id", "=", duplicate.id)])
        self.merge(self.customer | duplicate, keep=self.customer)
        self.assertFalse(duplicate.exists())
        self.assertEqual(entries.partner_id, self.customer)
        self.assertEqual(self.customer.wallet_balance, 145.5)
        self.assertEqual(self.customer.wallet_pending, 40.0)
        self.assertEqual(
            self.env["wallet.balance"].search_count([("partner_id", "=", self.customer.id)]), 1
        )
        self.Ledger._debit(self.customer, 145.5)  # every cent can be spent
        self.assertBooksAgree()

    def test_a_wallet_is_not_merged_into_a_company_contact(self):
        colleague = self.env["res.partner"].create(
            {"name": "Wendy's assistant", "parent_id": self.customer.id}
        )
        individual = self.env["res.partner"].create({"name": "Wendy at home"})
        self.topup(20.0, partner=individual)
        with self.assertRaisesRegex(UserError, "have a wallet"):
            self.merge(individual | colleague, keep=colleague)
        self.assertEqual(individual.wallet_balance, 20.0)
        self.assertBooksAgree(individual)


class TestOneAccountingPath(WalletProviderMixin, WalletCommon):
    """6. Wallet payments are booked by the framework's ``_create_payment``; the
    ledger's own payments and entries stay as booked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_wallet_provider()

    def test_an_early_payment_discount_is_booked_and_the_invoice_paid(self):
        self.topup(200.0)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.contact.id,
                "invoice_payment_term_id": self.env.ref(
                    "account.account_payment_term_30days_early_discount"
                ).id,
                "invoice_line_ids": [
                    Command.create({"name": "Prompt work", "price_unit": 100.0, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        discounted = invoice._get_invoice_next_payment_values()["amount_due"]
        self.assertLess(discounted, 100.0)
        tx = self.wallet_tx(discounted, invoice=invoice)
        self.assertTrue(self.pay(tx))
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.customer.wallet_balance, 200.0 - discounted)
        self.assertEqual(tx.payment_id, tx.wallet_transaction_ids.account_payment_id)
        self.assertBooksAgree()

    def test_reversing_a_wallet_payment_opens_the_invoice_again(self):
        self.topup(100.0)
        invoice = self.make_invoice(60.0)
        tx = self.wallet_tx(60.0, invoice=invoice)
        self.pay(tx)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        tx.wallet_transaction_ids._reverse("paid by mistake")
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(invoice.amount_residual, 60.0)
        self.assertFalse(
            invoice.invoice_has_outstanding, "the returned money is not on offer twice"
        )
        self.assertEqual(self.customer.wallet_balance, 100.0)
        self.assertBooksAgree()

    def test_ledger_payments_and_entries_cannot_be_undone_by_hand(self):
        entry = self.topup(50.0)
        payment, move = entry.account_payment_id, entry.move_id
        accountant = new_test_user(
            self.env, login="wallet_accountant", groups="account.group_account_manager"
        )
        for record, method in (
            (payment, "action_draft"),
            (payment, "action_cancel"),
            (payment, "unlink"),
            (move, "button_draft"),
            (move, "button_cancel"),
        ):
            with (
                self.subTest(method=method),
                self.assertRaisesRegex(UserError, "wallet ledger"),
                self.cr.savepoint(),
            ):
                getattr(record.with_user(accountant), method)()
        with self.assertRaises(UserError), self.cr.savepoint():
            move.with_user(accountant).unlink()
        reversal = (
            self.env["account.move.reversal"]
            .with_user(accountant)
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"journal_id": move.journal_id.id, "reason": "by hand"})
        )
        with self.assertRaisesRegex(UserError, "wallet ledger"), self.cr.savepoint():
            reversal.refund_moves()
        self.env.invalidate_all()
        self.assertIn(payment.state, ("in_process", "paid"))
        self.assertEqual(move.state, "posted")
        self.assertBooksAgree()

    def test_nobody_books_on_the_customer_wallet_account_by_hand(self):
        self.topup(50.0)
        accountant = new_test_user(
            self.env, login="wallet_accountant_entry", groups="account.group_account_manager"
        )
        journal = self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.company.id)], limit=1
        )
        move = (
            self.env["account.move"]
            .with_user(accountant)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": self.company.wallet_account_id.id,
                                "partner_id": self.customer.id,
                                "balance": 30.0,
                            }
                        ),
                        Command.create({"account_id": self.goodwill_account.id, "balance": -30.0}),
                    ],
                }
            )
        )
        with self.assertRaisesRegex(UserError, "kept by the wallet ledger"):
            move.action_post()
        self.assertEqual(move.state, "draft")
        self.assertBooksAgree()

    def test_a_misconfigured_wallet_journal_books_nothing_and_debits_nothing(self):
        self.topup(100.0)
        line = self.company.wallet_journal_id.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id == self.wallet_provider
        )
        line.payment_account_id = self.env["account.account"].search(
            [("account_type", "=", "asset_current"), ("company_ids", "in", self.company.ids)],
            limit=1,
        )
        tx = self.wallet_tx(40.0, order=self.make_order(40.0))
        self.assertFalse(self.pay(tx))
        self.assertIn("instead of", tx.state_message)
        self.assertEqual(self.customer.wallet_balance, 100.0)
        self.assertBooksAgree()

    def test_the_wallet_provider_books_in_the_wallet_journal_only(self):
        with self.assertRaisesRegex(UserError, "books in the Wallet journal"):
            self.wallet_provider.journal_id = self.bank_journal
        new_journal = self.env["account.journal"].create(
            {
                "name": "Wallet 2",
                "code": "WAL2",
                "type": "bank",
                "company_id": self.company.id,
                "default_account_id": self.company.wallet_account_id.id,
            }
        )
        self.env["res.config.settings"].create({"wallet_journal_id": new_journal.id}).execute()
        self.assertEqual(self.wallet_provider.journal_id, new_journal)
        self.topup(50.0)
        tx = self.wallet_tx(20.0, order=self.make_order(20.0))
        self.assertTrue(self.pay(tx))
        self.assertEqual(tx.payment_id.journal_id, new_journal)
        self.assertBooksAgree()

    def test_the_customer_wallet_account_cannot_change_once_used(self):
        other = self.env["account.account"].create(
            {"name": "Other wallet", "code": "219777", "account_type": "liability_current"}
        )
        self.topup(10.0)
        with self.assertRaisesRegex(UserError, "cannot change once wallets have entries"):
            self.company.wallet_account_id = other
        self.assertBooksAgree()

    def test_a_topup_in_another_currency_is_refused(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        with self.assertRaisesRegex(ValidationError, "topped up in USD only"):
            self.env["payment.transaction"].create(
                {
                    "provider_id": self.env.ref("payment.payment_provider_transfer").id,
                    "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                    "amount": 50.0,
                    "currency_id": eur.id,
                    "partner_id": self.customer.id,
                    "is_wallet_topup": True,
                }
            )


@tagged("post_install", "-at_install")
class TestBoundaries(WalletHttpCommon):
    """7. Boundaries: chatter, the ledger check, return URLs, uninstalling."""

    def post_message(self, entry):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "wallet.transaction",
                "thread_id": entry.id,
                "post_data": {"body": "I want more money", "message_type": "comment"},
            },
        )

    def test_customers_never_post_on_their_ledger_entries(self):
        entry = self.topup(10.0)
        self.authenticate("wallet_portal", "wallet_portal")
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.post_message(entry)
        with self.assertRaises(AccessError):
            entry.with_user(self.portal_user).message_post(body="hello")
        self.assertFalse(entry.message_ids.filtered(lambda m: "more money" in (m.body or "")))
        self.authenticate("wallet_clerk", "wallet_clerk")
        self.post_message(entry)  # staff annotate entries
        self.assertTrue(entry.message_ids.filtered(lambda m: "more money" in (m.body or "")))

    def test_only_wallet_managers_check_the_ledger(self):
        self.topup(10.0, partner=self.other_customer)
        for user in (self.portal_user, self.wallet_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Ledger.with_user(user).action_check_ledger()
        action = self.Ledger.with_user(self.wallet_manager).action_check_ledger()
        self.assertEqual(action["params"]["type"], "success")

    def test_return_urls_stay_on_this_site(self):
        for url in ("/shop/cart", "/my/invoices/7?access_token=x", "/shop/payment?a=b#top"):
            self.assertTrue(is_local_url(url), url)
        for url in (
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "\\/evil.example",
            "/\t/evil.example",
            "/%09/evil.example".replace("%09", "\n"),
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            None,
        ):
            self.assertFalse(is_local_url(url), url)
        self.authenticate("wallet_portal", "wallet_portal")
        self.url_open("/my/wallet/add?amount=10&return_url=/shop/cart")
        self.assertEqual(self.stored_session().get("wallet_return_url"), "/shop/cart")
        self.url_open("/my/wallet/add?amount=10&return_url=/%5Cevil.example")
        self.assertEqual(self.stored_session().get("wallet_return_url"), "/shop/cart")

    def stored_session(self):
        return http.root.session_store.get(self.session.sid)

    def test_uninstalling_is_refused_while_wallets_hold_money(self):
        module = self.env["ir.module.module"].search([("name", "=", "website_wallet")])
        self.topup(5.0)
        with self.assertRaisesRegex(UserError, "still hold money"):
            module.button_uninstall()
        sale = self.env["ir.module.module"].search([("name", "=", "website_sale")])
        with self.assertRaisesRegex(UserError, "still hold money"):
            sale.button_uninstall()
        self.assertEqual(module.state, "installed")
