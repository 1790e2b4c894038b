"""Nothing gives back more than was paid: every path that gives
money back (the Refund wizard and its RPC, Refund to Wallet and Register
Payment on a credit note, cancelling an order, reversing a wallet payment)
counts what the others gave back of the same origin, in any order, twice or
in two tabs.  After each, the ledger, the aggregate and the books agree."""

import re

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user

from .common import InEuros, RefundMixin, WalletCommon, WalletProviderMixin


class GiveBackCommon(RefundMixin, WalletProviderMixin, WalletCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_refund_users()
        cls.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", False)
        cls.website = cls.env["website"].get_current_website()
        cls.salesman = new_test_user(
            cls.env, login="wallet_gb_salesman", groups="sales_team.group_sale_salesman_all_leads"
        )

    def left(self, amount):
        """The refusal's words: how much is left to give back."""
        return f"only {re.escape(self.currency.format(amount))} of it is left"

    def refunds_of(self, credit_note):
        return self.Ledger.search([("origin_move_id", "=", credit_note.id)])


class TestRefundsOfAPayment(GiveBackCommon):
    """The Refund wizard, in two tabs, and its method called over RPC."""

    def test_two_refund_wizards_in_two_tabs_refund_a_wallet_payment_once(self):
        self.topup(100.0)
        _order, tx = self.paid_order(80.0)
        first_tab = self.open_refund_wizard(tx.payment_id)
        second_tab = self.open_refund_wizard(tx.payment_id)
        self.assertEqual((first_tab.amount_to_refund, second_tab.amount_to_refund), (80.0, 80.0))
        first_tab.action_refund()
        with self.assertRaisesRegex(UserError, self.left(0.00)):
            second_tab.action_refund()
        self.assertEqual(self.customer.wallet_balance, 100.0)
        self.assertEqual(len(tx.child_transaction_ids), 1)
        self.assertBooksAgree()

    def test_a_refund_over_rpc_never_exceeds_the_payment_whatever_the_amount(self):
        self.topup(100.0)
        _order, tx = self.paid_order(40.0)
        for amount in (400.0, 40.01, -40.0):
            with self.subTest(amount=amount), self.assertRaises(UserError), self.cr.savepoint():
                tx.with_user(self.billing).action_refund(amount_to_refund=amount)
        self.assertEqual(self.customer.wallet_balance, 60.0)
        tx.with_user(self.billing).action_refund(amount_to_refund=15.0)
        with self.assertRaisesRegex(UserError, self.left(25.00)):
            tx.with_user(self.billing).action_refund(amount_to_refund=25.01)
        tx.with_user(self.billing).action_refund(amount_to_refund=25.0)
        self.assertEqual(self.customer.wallet_balance, 100.0)
        self.env.invalidate_all()
        self.assertEqual(tx.payment_id.amount_available_for_refund, 0.0)
        self.assertBooksAgree()

    def test_a_reversed_wallet_payment_cannot_be_refunded_and_a_refunded_one_not_reversed(self):
        self.topup(100.0)
        _order, reversed_tx = self.paid_order(30.0)
        reversed_tx.wallet_transaction_ids._reverse("paid by mistake")
        self.env.invalidate_all()
        self.assertEqual(reversed_tx.payment_id.amount_available_for_refund, 0.0)
        with self.assertRaisesRegex(UserError, "only .* of it is left"):
            reversed_tx.with_user(self.billing).action_refund(amount_to_refund=30.0)
        _order, refunded_tx = self.paid_order(50.0)
        self.refund_wizard(refunded_tx.payment_id, amount=20.0)
        payment_entry = refunded_tx.wallet_transaction_ids
        with self.assertRaisesRegex(UserError, self.left(30.00)):
            payment_entry._reverse("paid by mistake")
        self.assertEqual(self.customer.wallet_balance, 100.0 - 30.0 + 30.0 - 50.0 + 20.0)
        self.assertBooksAgree()


class TestCreditNotes(GiveBackCommon):
    """Refund to Wallet and Register Payment with the Wallet journal settle a
    credit note, together, once."""

    def register_payment(self, moves, amount=None, journal=None):
        values = {"journal_id": (journal or self.company.wallet_journal_id).id}
        if amount is not None:
            values["amount"] = amount
        return (
            self.env["account.payment.register"]
            .with_user(self.billing)
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create(values)
            ._create_payments()
        )

    def remove_from_credit_note(self, credit_note, payment):
        """The credit note's payment widget: remove a payment from it."""
        partial = credit_note.line_ids.matched_debit_ids | credit_note.line_ids.matched_credit_ids
        partial = partial.filtered(
            lambda p: payment.move_id in (p.debit_move_id.move_id | p.credit_move_id.move_id)
        )
        credit_note.with_user(self.billing).js_remove_outstanding_partial(partial.id)

    def test_register_payment_then_refund_to_wallet_credits_a_credit_note_once(self):
        credit_note = self.make_invoice(45.0, move_type="out_refund")
        payment = self.register_payment(credit_note)
        self.assertEqual(self.customer.wallet_balance, 45.0)
        self.remove_from_credit_note(credit_note, payment)
        self.assertEqual(credit_note.amount_residual, 45.0, "the credit note looks unpaid again")
        self.assertFalse(credit_note.wallet_refundable)
        with self.assertRaisesRegex(UserError, "cannot be refunded to the wallet"):
            credit_note.with_user(self.billing).action_refund_to_wallet()
        with self.assertRaisesRegex(UserError, self.left(0.00)):
            self.register_payment(credit_note)
        self.assertEqual(self.customer.wallet_balance, 45.0)
        self.assertEqual(self.refunds_of(credit_note).mapped("amount"), [45.0])
        self.assertBooksAgree()

    def test_refund_to_wallet_then_register_payment_credits_a_credit_note_once(self):
        credit_note = self.make_invoice(30.0, move_type="out_refund")
        credit_note.with_user(self.billing).action_refund_to_wallet()
        payment = self.refunds_of(credit_note).account_payment_id
        self.remove_from_credit_note(credit_note, payment)
        with self.assertRaisesRegex(UserError, self.left(0.00)):
            self.register_payment(credit_note)
        self.assertEqual(self.customer.wallet_balance, 30.0)
        self.assertBooksAgree()

    def test_register_payment_for_more_than_the_credit_note_is_refused(self):
        credit_note = self.make_invoice(20.0, move_type="out_refund")
        with self.assertRaisesRegex(UserError, self.left(20.00)):
            self.register_payment(credit_note, amount=200.0)
        self.assertEqual(self.customer.wallet_balance, 0.0)
        self.register_payment(credit_note, amount=12.0)
        credit_note.with_user(self.billing).action_refund_to_wallet()
        self.assertEqual(self.customer.wallet_balance, 20.0, "12.00, then the 8.00 left")
        self.assertBooksAgree()

    def test_a_credit_note_paid_by_bank_in_part_refunds_only_the_rest(self):
        credit_note = self.make_invoice(50.0, move_type="out_refund")
        self.register_payment(credit_note, amount=35.0, journal=self.bank_journal)
        credit_note.with_user(self.billing).action_refund_to_wallet()
        self.assertEqual(self.customer.wallet_balance, 15.0)
        self.assertBooksAgree()

    def test_a_wallet_journal_payment_to_a_customer_needs_a_credit_note(self):
        """Money from nowhere: an outbound customer payment of the Wallet journal,
        made from the Payments menu with no credit note, is refused."""
        payment = (
            self.env["account.payment"]
            .with_user(self.billing)
            .create(
                {
                    "payment_type": "outbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": 500.0,
                    "journal_id": self.company.wallet_journal_id.id,
                }
            )
        )
        with self.assertRaisesRegex(UserError, "refunds one credit note"):
            payment.action_post()
        self.assertEqual(self.customer.wallet_balance, 0.0)
        self.assertBooksAgree()


class TestCancelledOrders(GiveBackCommon):
    """Cancelling an order gives back what its payments left, to their payer, once."""

    def cancel(self, order):
        order.with_user(self.salesman)._action_cancel()

    def test_a_card_payment_refunded_to_the_card_is_not_credited_again_on_cancel(self):
        self.website.wallet_refund_cancelled_orders = True
        order, tx = self.paid_order(35.0, provider=self.demo)
        self.refund_wizard(tx.payment_id)
        self.run_post_processing_cron()
        self.assertEqual(tx.child_transaction_ids.state, "done")
        self.cancel(order)
        self.assertEqual(order.state, "cancel")
        self.assertEqual(self.customer.wallet_balance, 0.0, "the card already has it back")
        self.assertBooksAgree()

    def test_a_card_payment_credited_on_cancel_cannot_also_go_back_to_the_card(self):
        self.website.wallet_refund_cancelled_orders = True
        order, tx = self.paid_order(35.0, provider=self.demo)
        self.refund_wizard(tx.payment_id, amount=5.0)
        self.run_post_processing_cron()
        self.cancel(order)
        self.assertEqual(self.customer.wallet_balance, 30.0, "what the card did not get back")
        self.env.invalidate_all()
        self.assertEqual(tx.payment_id.amount_available_for_refund, 0.0)
        with self.assertRaisesRegex(UserError, self.left(0.00)):
            tx.with_user(self.billing).action_refund(amount_to_refund=30.0)
        self.assertBooksAgree()

    def test_a_reversed_wallet_payment_is_not_refunded_again_on_cancel(self):
        self.topup(100.0)
        order, tx = self.paid_order(60.0)
        tx.wallet_transaction_ids.with_user(self.wallet_manager)._reverse("wrong order")
        self.assertEqual(self.customer.wallet_balance, 100.0)
        self.cancel(order)
        self.assertEqual(self.customer.wallet_balance, 100.0)
        self.assertFalse(tx.child_transaction_ids)
        self.assertBooksAgree()

    def test_an_order_paid_by_another_customer_goes_back_to_the_payer_once(self):
        """The payer's money goes back to the payer's wallet, as a card refund
        would go back to the payer's card; cancelling, setting back to
        quotation, confirming and cancelling again gives nothing more."""
        self.website.wallet_refund_cancelled_orders = True
        payer = self.other_customer
        order, _tx = self.paid_order(25.0, provider=self.demo, payer=payer)
        for _cycle in range(3):
            self.cancel(order)
            self.assertEqual(order.state, "cancel")
            order.with_user(self.salesman).action_draft()
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(payer.wallet_balance, 25.0)
        self.assertEqual(self.customer.wallet_balance, 0.0)
        self.assertBooksAgree(payer)

    def test_a_wallet_payment_goes_back_once_through_cancel_cycles(self):
        self.topup(50.0)
        order, _tx = self.paid_order(50.0)
        for _cycle in range(2):
            self.cancel(order)
            order.with_user(self.salesman).action_draft()
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(self.customer.wallet_balance, 50.0)
        self.assertBooksAgree()

    def test_every_refund_to_the_wallet_names_its_origin(self):
        with self.assertRaisesRegex(ValidationError, "names what it gives back"):
            self.Ledger._credit(self.customer, 10.0, kind="refund", description="from nowhere")
        self.assertEqual(self.customer.wallet_balance, 0.0)


class TestCreditNotesInEuros(InEuros, TestCreditNotes):
    """The same, in a company that keeps its books in euros."""


class TestRefundsOfAPaymentInEuros(InEuros, TestRefundsOfAPayment):
    """The same, in a company that keeps its books in euros."""
