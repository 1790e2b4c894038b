from odoo.exceptions import AccessError, UserError
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import WalletCommon, WalletHttpCommon


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
