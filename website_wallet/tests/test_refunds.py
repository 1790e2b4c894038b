"""Refunds, both directions, through the framework's refund machinery
and the standard buttons and wizards: the payment's Refund wizard, Stripe's
webhooks, Refund to Wallet on a credit note, Register Payment, cancelling an
order, Withdraw to Bank.  After each, the ledger, the aggregate and the books
agree."""

from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import (
    RefundMixin,
    StripeMixin,
    TopupFlowMixin,
    WalletCommon,
    WalletHttpCommon,
    WalletProviderMixin,
)


@tagged("post_install", "-at_install")
class TestTopupRefunds(RefundMixin, TopupFlowMixin, WalletHttpCommon):
    """Refunding a top-up takes the money out of the wallet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_refund_users()

    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def demo_topup(self, amount):
        tx = self.transaction(self.start_topup(self.demo, amount))
        self.simulate(tx, "done")
        self.run_post_processing_cron()
        self.assertEqual(tx.wallet_transaction_ids.state, "done")
        return tx

    def test_a_full_refund_debits_the_wallet_and_books_on_the_liability(self):
        tx = self.demo_topup(40.0)
        self.assertEqual(tx.payment_id.amount_available_for_refund, 40.0)
        self.refund_wizard(tx.payment_id)
        refund = tx.child_transaction_ids
        self.run_post_processing_cron()
        self.assertEqual((refund.operation, refund.state, refund.amount), ("refund", "done", -40.0))
        entry = refund.wallet_transaction_ids
        self.assertEqual((entry.direction, entry.kind, entry.state), ("debit", "refund", "done"))
        self.assertEqual(self.customer.wallet_balance, 0.0)
        self.assertEqual(entry.account_payment_id, refund.payment_id)
        self.assertEqual(refund.payment_id.payment_type, "outbound")
        self.assertEqual(self.wallet_line(refund.payment_id.move_id).debit, 40.0)
        self.assertFalse(
            refund.payment_id.move_id.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            ),
            "a top-up's refund never touches the receivable",
        )
        self.env.invalidate_all()
        self.assertEqual(tx.payment_id.amount_available_for_refund, 0.0)
        self.assertBooksAgree()

    def test_partial_refunds_up_to_what_is_left(self):
        tx = self.demo_topup(100.0)
        self.refund_wizard(tx.payment_id, amount=30.0)
        self.run_post_processing_cron()
        self.assertEqual(self.customer.wallet_balance, 70.0)
        self.env.invalidate_all()
        self.assertEqual(tx.payment_id.amount_available_for_refund, 70.0)
        self.refund_wizard(tx.payment_id, amount=70.0)
        self.run_post_processing_cron()
        self.assertEqual(self.customer.wallet_balance, 0.0)
        self.assertEqual(len(tx.child_transaction_ids.wallet_transaction_ids), 2)
        self.assertBooksAgree()

    def test_money_already_spent_is_not_refunded(self):
        tx = self.demo_topup(100.0)
        self.Ledger._debit(self.customer, 60.0, description="Order S1")
        self.env.invalidate_all()
        self.assertEqual(tx.payment_id.amount_available_for_refund, 40.0, "capped by the wallet")
        with self.assertRaisesRegex(ValidationError, "cannot be superior to 40"):
            self.refund_wizard(tx.payment_id, amount=41.0)
        with (
            self.assertRaisesRegex(UserError, r"Only \$\s?40\.00 of this top-up can be refunded"),
            self.cr.savepoint(),
        ):
            tx.with_user(self.billing).action_refund(amount_to_refund=100.0)
        self.assertFalse(tx.child_transaction_ids, "the provider was never asked")
        self.refund_wizard(tx.payment_id)
        self.run_post_processing_cron()
        self.assertEqual(self.customer.wallet_balance, 0.0)
        self.assertBooksAgree()

    def test_the_refunded_money_is_held_until_the_refund_is_done(self):
        """Between the request and the provider's answer, the money cannot be spent."""
        tx = self.demo_topup(50.0)
        with self.patch_demo_refund_state("pending"):
            self.refund_wizard(tx.payment_id)
        refund = tx.child_transaction_ids
        self.assertEqual(refund.state, "pending")
        self.assertEqual((self.customer.wallet_balance, self.customer.wallet_held), (0.0, 50.0))
        with self.assertRaisesRegex(UserError, "Insufficient wallet balance"):
            self.Ledger._debit(self.customer, 1.0)
        refund._set_error("the card is closed")
        self.run_post_processing_cron()
        self.assertEqual((self.customer.wallet_balance, self.customer.wallet_held), (50.0, 0.0))
        self.assertEqual(refund.wallet_transaction_ids.state, "cancel")
        self.assertBooksAgree()

    def patch_demo_refund_state(self, state):
        """The demo provider answers every refund with ``state``."""
        model = type(self.env["payment.transaction"])
        original = model._process_notification_data

        def process(tx, data):
            if tx.operation == "refund":
                data = {**data, "simulated_state": state}
            return original(tx, data)

        return patch.object(model, "_process_notification_data", process)

    def test_a_billing_user_may_refund_and_a_portal_user_may_not(self):
        tx = self.demo_topup(20.0)
        for user in (self.portal_user, self.wallet_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.refund_wizard(tx.payment_id, user=user)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                tx.with_user(user).action_refund(amount_to_refund=20.0)
        self.assertEqual(self.customer.wallet_balance, 20.0)
        self.refund_wizard(tx.payment_id, amount=5.0)
        self.run_post_processing_cron()
        self.assertEqual(self.customer.wallet_balance, 15.0)
        self.assertBooksAgree()


@tagged("post_install", "-at_install")
class TestTopupRefundsByStripe(RefundMixin, StripeMixin, TopupFlowMixin, WalletHttpCommon):
    """Refunds that Stripe reports: from the Refund button, or from its dashboard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_refund_users()
        cls.setup_stripe()

    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def stripe_topup(self, amount):
        tx = self.start_stripe_topup(amount)
        self.post_event(self.intent_succeeded(tx))
        self.run_post_processing_cron()
        self.assertEqual(self.customer.wallet_balance, amount)
        return tx

    def test_a_dashboard_refund_is_debited_once_even_when_replayed(self):
        tx = self.stripe_topup(80.0)
        event = self.charge_refunded(tx, self.stripe_refund("re_dash_1", 30.0))
        for _delivery in range(2):
            self.assertEqual(self.post_event(event).status_code, 200)
            self.run_post_processing_cron()
        refund = tx.child_transaction_ids
        self.assertEqual(len(refund), 1)
        self.assertEqual(self.customer.wallet_balance, 50.0)
        self.assertEqual(len(refund.wallet_transaction_ids), 1)
        self.assertEqual(self.wallet_line(refund.payment_id.move_id).debit, 30.0)
        self.assertBooksAgree()

    def test_a_dashboard_refund_beyond_the_balance_puts_the_rest_on_the_receivable(self):
        tx = self.stripe_topup(80.0)
        self.Ledger._debit(self.customer, 50.0, description="Order S2")
        self.post_event(self.charge_refunded(tx, self.stripe_refund("re_dash_2", 80.0)))
        self.run_post_processing_cron()
        refund = tx.child_transaction_ids
        self.assertEqual(self.customer.wallet_balance, 0.0)
        self.assertEqual(refund.wallet_transaction_ids.amount, 30.0)
        receivable = refund.payment_id.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertEqual((receivable.debit, receivable.partner_id), (50.0, self.customer))
        self.assertTrue(
            tx.wallet_transaction_ids.activity_ids.filtered(lambda a: "receivable" in a.summary)
        )
        self.assertBooksAgree()

    def test_the_refund_button_asks_stripe_and_a_later_failure_gives_the_money_back(self):
        tx = self.stripe_topup(60.0)
        with self.stripe_answers(self.stripe_refund("re_button_1", 60.0)):
            self.refund_wizard(tx.payment_id)
        self.run_post_processing_cron()
        refund = tx.child_transaction_ids
        self.assertEqual((refund.state, refund.provider_reference), ("done", "re_button_1"))
        self.assertEqual(self.customer.wallet_balance, 0.0)
        self.assertBooksAgree()
        failed = self.stripe_refund("re_button_1", 60.0, status="failed")
        with mute_logger("odoo.addons.payment.models.payment_transaction"):
            for _delivery in range(2):
                self.post_event(self.refund_updated(failed))
                self.run_post_processing_cron()
        self.assertEqual(refund.state, "error")
        self.assertEqual(self.customer.wallet_balance, 60.0, "the money is back, once")
        self.assertBooksAgree()

    def test_a_refund_refused_by_stripe_releases_the_money(self):
        tx = self.stripe_topup(25.0)
        with self.stripe_answers(self.stripe_refund("re_refused", 25.0, status="failed")):
            self.refund_wizard(tx.payment_id)
        self.run_post_processing_cron()
        self.assertEqual(tx.child_transaction_ids.state, "error")
        self.assertEqual((self.customer.wallet_balance, self.customer.wallet_held), (25.0, 0.0))
        self.assertBooksAgree()


class TestWithdrawToBank(RefundMixin, WalletCommon):
    """A wire-transfer top-up has no card to refund to: a Wallet Manager pays it
    back to the customer's bank account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Paying money out of a bank journal takes accounting rights as well.
        cls.wallet_manager.groups_id += cls.env.ref("account.group_account_invoice")

    def withdraw(self, user, **values):
        wire = values.pop("entry", None)
        Wizard = self.env["wallet.withdrawal.wizard"].with_user(user)
        if wire:
            Wizard = Wizard.with_context(wallet_entry_id=wire.id)
        return Wizard.create({"journal_id": self.bank_journal.id, **values}).action_withdraw()

    def test_a_manager_withdraws_a_wire_topup_to_the_bank(self):
        wire = self.wire_topup(300.0)
        wire.with_user(self.wallet_manager).action_confirm()
        self.Ledger._debit(self.customer, 100.0, description="Order S3")
        action = self.withdraw(self.wallet_manager, entry=wire)
        entry = self.Ledger.browse(action["res_id"])
        self.assertEqual(
            (entry.kind, entry.direction, entry.amount), ("withdrawal", "debit", 200.0)
        )
        payment = entry.account_payment_id
        self.assertEqual(
            (payment.payment_type, payment.journal_id), ("outbound", self.bank_journal)
        )
        self.assertEqual(self.wallet_line(payment.move_id).debit, 200.0)
        self.assertEqual(self.customer.wallet_balance, 0.0)
        self.assertBooksAgree()

    def test_only_managers_withdraw_and_never_more_than_the_balance(self):
        self.topup(50.0)
        with self.assertRaises(AccessError):
            self.withdraw(self.wallet_user, partner_id=self.customer.id, amount=10.0)
        with self.assertRaisesRegex(UserError, "Insufficient wallet balance"):
            self.withdraw(self.wallet_manager, partner_id=self.customer.id, amount=50.01)
        self.assertEqual(self.customer.wallet_balance, 50.0)


class TestRefundToTheWallet(RefundMixin, WalletProviderMixin, WalletCommon):
    """Refunding to the wallet: wallet payments, credit notes, cancelled orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_refund_users()

    def test_a_wallet_payment_is_refunded_to_the_wallet_in_full_or_in_part(self):
        self.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", False)
        self.topup(100.0)
        order = self.make_order(80.0)
        tx = self.wallet_tx(80.0, order=order)
        self.assertTrue(self.pay(tx))
        tx._post_process()
        self.refund_wizard(tx.payment_id, amount=30.0)
        self.assertEqual(self.customer.wallet_balance, 50.0)
        refund = tx.child_transaction_ids
        entry = refund.wallet_transaction_ids
        self.assertEqual(
            (entry.direction, entry.kind, entry.sale_order_id), ("credit", "refund", order)
        )
        self.assertIn(order.name, entry.description)
        self.assertEqual(self.wallet_line(refund.payment_id.move_id).credit, 30.0)
        self.refund_wizard(tx.payment_id)
        self.assertEqual(self.customer.wallet_balance, 100.0)
        self.env.invalidate_all()
        self.assertEqual(tx.payment_id.amount_available_for_refund, 0.0)
        self.assertBooksAgree()

    def test_a_credit_note_is_refunded_to_the_wallet_whatever_paid_the_invoice(self):
        paid_by_bank = self.make_invoice(70.0)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=paid_by_bank.ids
        ).create({"journal_id": self.bank_journal.id})._create_payments()
        credit_note = self.credit_note_for(paid_by_bank)
        self.assertTrue(credit_note.wallet_refundable)
        credit_note.with_user(self.billing).action_refund_to_wallet()
        self.assertEqual(self.customer.wallet_balance, 70.0)
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))
        entry = self.Ledger.search([("invoice_id", "=", credit_note.id)])
        self.assertEqual((entry.kind, entry.direction), ("refund", "credit"))
        with self.assertRaisesRegex(UserError, "cannot be refunded to the wallet"):
            credit_note.with_user(self.billing).action_refund_to_wallet()
        self.assertEqual(self.customer.wallet_balance, 70.0, "a second click credits nothing")
        with self.assertRaises(AccessError):
            credit_note.with_user(self.wallet_user).action_refund_to_wallet()
        self.assertBooksAgree()

    def test_register_payment_with_the_wallet_journal_refunds_the_credit_note(self):
        credit_note = self.make_invoice(45.0, move_type="out_refund")
        self.env["account.payment.register"].with_user(self.billing).with_context(
            active_model="account.move", active_ids=credit_note.ids
        ).create({"journal_id": self.company.wallet_journal_id.id})._create_payments()
        self.assertEqual(self.customer.wallet_balance, 45.0)
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))
        entry = self.Ledger.search([("partner_id", "=", self.customer.id), ("kind", "=", "refund")])
        self.assertEqual(entry.account_payment_id.journal_id, self.company.wallet_journal_id)
        self.assertBooksAgree()

    def test_register_payment_with_the_wallet_journal_pays_an_invoice_from_the_wallet(self):
        self.topup(60.0)
        invoice = self.make_invoice(50.0)
        register = self.env["account.payment.register"].with_user(self.billing)
        register.with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"journal_id": self.company.wallet_journal_id.id}
        )._create_payments()
        self.assertEqual(self.customer.wallet_balance, 10.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        too_dear = self.make_invoice(20.0)
        with self.assertRaisesRegex(UserError, "Insufficient wallet balance"):
            register.with_context(active_model="account.move", active_ids=too_dear.ids).create(
                {"journal_id": self.company.wallet_journal_id.id}
            )._create_payments()
        self.assertBooksAgree()

    def test_a_cancelled_order_paid_with_the_wallet_returns_the_money(self):
        self.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", False)
        self.topup(100.0)
        order, tx = self.paid_order(60.0)
        self.assertEqual(self.customer.wallet_balance, 40.0)
        salesman = new_test_user(
            self.env, login="wallet_salesman", groups="sales_team.group_sale_salesman_all_leads"
        )
        order.with_user(salesman)._action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(self.customer.wallet_balance, 100.0)
        refund_payment = tx.child_transaction_ids.payment_id
        self.assertTrue(
            all(
                line.reconciled
                for line in (tx.payment_id | refund_payment).move_id.line_ids
                if line.account_id.account_type == "asset_receivable"
            ),
            "the wallet payment and its refund cancel out on the receivable",
        )
        self.assertBooksAgree()

    def test_an_invoiced_order_is_corrected_with_a_credit_note(self):
        self.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", True)
        self.topup(100.0)
        order, _tx = self.paid_order(60.0)
        self.assertTrue(order.invoice_ids.filtered(lambda invoice: invoice.state == "posted"))
        with self.assertRaisesRegex(UserError, "issue a credit note"):
            order._action_cancel()
        self.assertEqual(self.customer.wallet_balance, 40.0)

    def test_the_setting_turns_card_payments_of_cancelled_orders_into_wallet_credit(self):
        self.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", False)
        demo = self.demo
        website = self.env["website"].get_current_website()
        order, _tx = self.paid_order(35.0, provider=demo)
        order._action_cancel()
        self.assertEqual(self.customer.wallet_balance, 0.0, "off: left to a refund by hand")
        website.wallet_refund_cancelled_orders = True
        order, tx = self.paid_order(35.0, provider=demo)
        order._action_cancel()
        self.assertEqual(self.customer.wallet_balance, 35.0)
        entry = self.Ledger.search([("sale_order_id", "=", order.id)])
        self.assertEqual((entry.kind, entry.direction), ("refund", "credit"))
        receivable = (tx.payment_id | entry.account_payment_id).move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertTrue(all(receivable.mapped("reconciled")))
        self.assertBooksAgree()

    def test_the_shopper_is_told_of_a_refund(self):
        credit_note = self.make_invoice(12.0, move_type="out_refund")
        credit_note.with_user(self.billing).action_refund_to_wallet()
        entry = self.Ledger.search([("invoice_id", "=", credit_note.id)])
        self.env["wallet.notification"]._cron_send()
        mail = self.env["mail.mail"].search(
            [("model", "=", "wallet.transaction"), ("res_id", "=", entry.id)]
        )
        self.assertIn("added to your wallet", mail.subject)
        self.assertIn(f"Refund of {credit_note.name}", mail.body_html)


@tagged("post_install", "-at_install")
class TestRefundTour(WalletHttpCommon):
    """An accountant refunds a credit note to the wallet in the back office; the
    shopper then sees the credit in the wallet's history."""

    def test_credit_note_refunded_to_the_wallet_then_seen_by_the_shopper(self):
        credit_note = self.make_invoice(18.0, move_type="out_refund")
        self.start_tour(
            f"/odoo/action-account.action_move_out_refund_type/{credit_note.id}",
            "website_wallet_refund_credit_note",
            login="admin",
        )
        self.assertEqual(self.customer.wallet_balance, 18.0)
        self.start_tour(
            "/my/wallet/transactions", "website_wallet_history_shows_refund", login="wallet_portal"
        )
        self.assertBooksAgree()
