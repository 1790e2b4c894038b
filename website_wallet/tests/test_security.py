from odoo import Command, http
from odoo.exceptions import AccessError, UserError
from odoo.tests import JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from ..controllers.portal import is_local_url
from .common import PayRouteMixin, WalletCommon, WalletHttpCommon


class TestSecurity(WalletCommon):
    def test_portal_user_reads_only_their_own_wallet(self):
        mine = self.topup(10.0)
        theirs = self.topup(20.0, partner=self.other_customer)
        Ledger = self.Ledger.with_user(self.portal_user)
        self.assertEqual(Ledger.search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.portal_user).read(["amount"])
        self.assertEqual(self.customer.with_user(self.portal_user).wallet_balance, 10.0)
        self.assertEqual(
            self.env["wallet.balance"].with_user(self.portal_user).search([]).partner_id,
            self.customer,
        )

    def test_portal_user_cannot_create_write_or_delete(self):
        entry = self.topup(10.0)
        Ledger = self.Ledger.with_user(self.portal_user)
        with self.assertRaises(AccessError):
            Ledger.create(
                {
                    "name": "FAKE",
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "currency_id": self.currency.id,
                    "amount": 1000.0,
                    "direction": "credit",
                    "kind": "topup",
                    "state": "done",
                }
            )
        with self.assertRaises(AccessError):
            entry.with_user(self.portal_user).write({"amount": 1000.0})
        with self.assertRaises(AccessError):
            entry.with_user(self.portal_user).unlink()
        with self.assertRaises(AccessError):
            self.env["wallet.balance"].with_user(self.portal_user).search([]).write(
                {"balance": 1e6}
            )

    def test_wallet_user_sees_everything_but_cannot_confirm_or_adjust(self):
        wire = self.wire_topup(100.0)
        self.topup(5.0, partner=self.other_customer)
        clerk = self.wallet_user
        self.assertTrue(clerk.has_group("website_wallet.group_wallet_user"))
        self.assertEqual(
            self.Ledger.with_user(clerk).search_count([]), self.Ledger.search_count([])
        )
        self.assertEqual(self.customer.with_user(clerk).wallet_pending, 100.0)
        for action in ("action_confirm", "action_cancel", "action_reverse"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(wire.with_user(clerk), action)()
        with self.assertRaises(AccessError):
            self.env["wallet.adjustment.wizard"].with_user(clerk).create(
                {"partner_id": self.customer.id, "amount": 5.0, "reason": "nope"}
            )
        self.assertEqual(wire.state, "pending")

    def test_manager_confirms_cancels_and_adjusts(self):
        wire, other_wire = self.wire_topup(100.0), self.wire_topup(7.0)
        self.env.invalidate_all()
        wire.with_user(self.wallet_manager).action_confirm()
        other_wire.with_user(self.wallet_manager).action_cancel()
        self.assertEqual((wire.state, other_wire.state), ("done", "cancel"))
        wizard = (
            self.env["wallet.adjustment.wizard"]
            .with_user(self.wallet_manager)
            .create(
                {
                    "partner_id": self.customer.id,
                    "direction": "debit",
                    "amount": 12.5,
                    "reason": "Damaged voucher",
                    "counterpart_account_id": self.goodwill_account.id,
                }
            )
        )
        action = wizard.action_apply()
        adjustment = self.Ledger.browse(action["res_id"])
        self.assertEqual(
            (adjustment.kind, adjustment.description), ("adjustment", "Damaged voucher")
        )
        self.assertEqual(self.customer.wallet_balance, 87.5)
        reverse_action = adjustment.with_user(self.wallet_manager).action_reverse()
        reverse_wizard = (
            self.env["wallet.adjustment.wizard"]
            .with_user(self.wallet_manager)
            .with_context(**reverse_action["context"])
            .create({"reason": "Voucher was fine"})
        )
        reversal = self.Ledger.browse(reverse_wizard.action_apply()["res_id"])
        self.assertEqual(reversal.reversed_entry_id, adjustment)
        self.assertEqual(self.customer.wallet_balance, 100.0)
        self.assertBooksAgree()

    def test_accounting_administrators_are_wallet_managers(self):
        accountant = self.env["res.users"].create(
            {
                "name": "Chief Accountant",
                "login": "wallet_chief_accountant",
                "groups_id": [(6, 0, [self.env.ref("account.group_account_manager").id])],
            }
        )
        self.assertTrue(accountant.has_group("website_wallet.group_wallet_manager"))

    def test_done_entries_are_immutable_even_for_the_superuser(self):
        entry = self.topup(10.0)
        wire = self.wire_topup(3.0)
        wire._cancel()
        for record in (entry, wire):
            for vals in (
                {"amount": 1.0},
                {"partner_id": self.other_customer.id},
                {"state": "pending"},
                {"description": "edited"},
                {"move_id": False},
            ):
                with self.subTest(state=record.state, vals=vals), self.assertRaises(UserError):
                    record.sudo().write(vals)
            with self.assertRaises(UserError):
                record.sudo().unlink()
        pending = self.wire_topup(4.0)
        with self.assertRaises(UserError):
            pending.sudo().write({"amount": 400.0})
        with self.assertRaises(UserError):
            pending.sudo().unlink()


@tagged("post_install", "-at_install")
class TestSecurityRpc(WalletHttpCommon):
    """The same refusals through the web client's RPC, as each kind of user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.entry = cls.Ledger._credit(cls.customer, 10.0, kind="topup", journal=cls.bank_journal)
        cls.wire = cls.Ledger._credit(cls.customer, 20.0, kind="topup", pending=True)

    def call(self, login, model, method, args, kwargs=None):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def assertRpcRefused(self, login, model, method, args, error="AccessError"):
        with self.assertRaises(JsonRpcException) as caught, mute_logger("odoo.http"):
            self.call(login, model, method, args)
        self.assertEqual(str(caught.exception.args[-1]).rsplit(".", 1)[-1], error)

    def test_rpc_changes_are_refused_for_every_user_type(self):
        for login in ("wallet_portal", "wallet_clerk", "wallet_boss", "admin"):
            with self.subTest(login=login):
                for method, args in (
                    ("write", [[self.entry.id], {"amount": 999}]),
                    ("unlink", [[self.entry.id]]),
                ):
                    self.assertRpcRefused(login, "wallet.transaction", method, args)
        self.assertRpcRefused(
            "wallet_portal",
            "wallet.transaction",
            "create",
            [
                {
                    "name": "X",
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "currency_id": self.currency.id,
                    "amount": 50,
                    "direction": "credit",
                    "kind": "topup",
                    "state": "done",
                }
            ],
        )
        self.assertRpcRefused(
            "wallet_clerk", "wallet.transaction", "action_confirm", [[self.wire.id]]
        )
        self.assertRpcRefused(
            "wallet_portal", "wallet.transaction", "action_confirm", [[self.wire.id]]
        )
        self.assertRpcRefused(
            "wallet_portal", "wallet.transaction", "_credit", [self.customer.id, 5]
        )
        self.assertEqual(self.entry.amount, 10.0)
        self.assertEqual(self.wire.state, "pending")
        self.assertEqual(self.customer.wallet_balance, 10.0)


@tagged("post_install", "-at_install")
class TestOnlyTheFrameworkCreatesMoney(PayRouteMixin, WalletHttpCommon):
    """Only a Wallet Manager, or the provider's own notification, turns a
    transaction into wallet money: plain writes by other back-office users are
    refused, over RPC as they would make them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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
        transfer = self.transfer
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
        demo = self.demo
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


@tagged("post_install", "-at_install")
class TestBoundaries(WalletHttpCommon):
    """Boundaries: chatter, the ledger check, return URLs, uninstalling."""

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
