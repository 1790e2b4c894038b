import re

from psycopg2 import IntegrityError
from psycopg2.errors import CheckViolation

from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from .common import InEuros, WalletCommon


class TestLedger(WalletCommon):
    def test_credit_and_debit_move_the_commercial_partner_balance(self):
        self.topup(100.0, partner=self.contact)
        self.assertEqual(self.customer.wallet_balance, 100.0)
        self.assertEqual(self.contact.wallet_balance, 100.0, "contacts share the company wallet")
        debit = self.Ledger._debit(self.contact, 40.0, description="Order S001")
        self.assertEqual(debit.partner_id, self.customer)
        self.assertEqual((debit.direction, debit.kind, debit.state), ("debit", "payment", "done"))
        self.assertEqual(self.customer.wallet_balance, 60.0)
        self.assertBooksAgree()

    def test_reference_comes_from_the_sequence(self):
        first, second = self.topup(1.0), self.topup(2.0)
        self.assertRegex(first.name, r"^WLT/\d{4}/\d{5}$")
        self.assertNotEqual(first.name, second.name)

    def test_rounding_leaves_exactly_zero(self):
        self.topup(0.1)
        self.topup(0.2)
        self.Ledger._debit(self.customer, 0.3)
        self.assertTrue(self.currency.is_zero(self.customer.wallet_balance))
        self.assertEqual(
            self.env["wallet.balance"].search([("partner_id", "=", self.customer.id)]).balance, 0.0
        )
        self.assertBooksAgree()

    def test_insufficient_balance_is_refused_with_the_available_amount(self):
        self.topup(25.0)
        with self.assertRaisesRegex(
            UserError,
            f"Insufficient wallet balance: {re.escape(self.currency.format(25.0))} available",
        ):
            self.Ledger._debit(self.customer, 25.01)
        self.assertEqual(self.customer.wallet_balance, 25.0)
        self.assertEqual(self.Ledger.search_count([("partner_id", "=", self.customer.id)]), 1)

    def test_a_debit_of_the_whole_balance_is_allowed(self):
        self.topup(25.0)
        self.Ledger._debit(self.customer, 25.0)
        self.assertEqual(self.customer.wallet_balance, 0.0)

    def test_never_topped_up_wallet_cannot_pay(self):
        with self.assertRaisesRegex(UserError, "Insufficient wallet balance"):
            self.Ledger._debit(self.other_customer, 1.0)

    def test_bad_amounts_are_refused(self):
        for amount in (0, 0.0, -5.0, float("nan"), float("inf"), 1.005, "10", None):
            with self.subTest(amount=amount), self.assertRaises(ValidationError):
                self.topup(amount)
        self.assertFalse(self.Ledger.search([("partner_id", "=", self.customer.id)]))

    def test_pending_topup_counts_separately_until_confirmed(self):
        wire = self.wire_topup(600.0)
        self.assertEqual(wire.state, "pending")
        self.assertFalse(wire.move_id, "nothing is booked before the money arrives")
        self.assertEqual((self.customer.wallet_balance, self.customer.wallet_pending), (0.0, 600.0))
        with self.assertRaisesRegex(UserError, "Insufficient"):
            self.Ledger._debit(self.customer, 1.0)
        wire.with_user(self.wallet_manager).action_confirm()
        self.assertEqual(wire.state, "done")
        self.assertTrue(wire.move_id)
        self.assertEqual((self.customer.wallet_balance, self.customer.wallet_pending), (600.0, 0.0))
        self.assertBooksAgree()

    def test_pending_topup_cancelled_credits_nothing(self):
        wire = self.wire_topup(50.0)
        wire._cancel()
        self.assertEqual(wire.state, "cancel")
        self.assertEqual((self.customer.wallet_balance, self.customer.wallet_pending), (0.0, 0.0))
        self.assertBooksAgree()

    def test_only_pending_entries_change_state(self):
        done = self.topup(10.0)
        wire = self.wire_topup(10.0)
        wire._cancel()
        for entry, action in (
            (done, "_confirm"),
            (done, "_cancel"),
            (wire, "_confirm"),
            (wire, "_cancel"),
        ):
            with self.subTest(state=entry.state, action=action), self.assertRaises(UserError):
                getattr(entry, action)()
        self.assertEqual(self.customer.wallet_balance, 10.0)

    def test_state_cannot_go_back_to_pending(self):
        wire = self.wire_topup(10.0)
        with self.assertRaises(UserError):
            wire.sudo().write({"state": "pending"})

    def test_reversal_points_at_the_original_and_restores_the_balance(self):
        topup = self.topup(80.0)
        payment = self.Ledger._debit(self.customer, 30.0)
        reversal = payment._reverse("charged twice")
        self.assertEqual(reversal.reversed_entry_id, payment)
        self.assertEqual(payment.reversal_entry_ids, reversal)
        self.assertEqual((reversal.direction, reversal.kind), ("credit", "reversal"))
        self.assertIn("charged twice", reversal.description)
        self.assertEqual(self.customer.wallet_balance, 80.0)
        with self.assertRaises(UserError):
            payment._reverse("again")
        with self.assertRaises(UserError):
            reversal._reverse("reverse the reversal")
        self.assertEqual(topup.state, "done")
        self.assertBooksAgree()

    def test_reversing_spent_credit_is_refused(self):
        topup = self.topup(50.0)
        self.Ledger._debit(self.customer, 40.0)
        with self.assertRaisesRegex(UserError, "Insufficient"):
            topup._reverse("card charged back")
        self.assertEqual(self.customer.wallet_balance, 10.0)

    def test_manual_adjustment_books_against_the_chosen_account(self):
        entry = self.Ledger._credit(
            self.customer,
            15.0,
            kind="adjustment",
            description="goodwill",
            counterpart_account_id=self.goodwill_account.id,
        )
        lines = entry.move_id.line_ids
        self.assertEqual(
            lines.filtered(lambda line: line.account_id == self.goodwill_account).debit, 15.0
        )
        self.assertEqual(
            lines.filtered(lambda line: line.account_id == self.company.wallet_account_id).credit,
            15.0,
        )
        with self.assertRaisesRegex(UserError, "counterpart account"):
            self.Ledger._credit(self.customer, 1.0, kind="adjustment")
        self.assertBooksAgree()

    def test_wallet_is_per_company(self):
        self.topup(10.0)
        other_company = self.env["res.company"].create({"name": "Wallet Sister Co"})
        self.assertEqual(self.customer.with_company(other_company).wallet_balance, 0.0)
        self.assertEqual(self.customer.wallet_balance, 10.0)

    def test_check_ledger_reports_a_tampered_aggregate(self):
        self.topup(10.0)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE wallet_balance SET balance = 11 WHERE partner_id = %s", [self.customer.id]
        )
        self.env.invalidate_all()
        problems = self.Ledger._check_ledger()
        self.assertEqual(len(problems), 1)
        self.assertIn("Wallet Customer Inc", problems[0])
        action = self.Ledger.action_check_ledger()
        self.assertEqual(action["params"]["type"], "danger")

    def test_database_refuses_a_negative_balance(self):
        """Even code that bypassed the ledger could not store a negative wallet."""
        self.topup(5.0)
        self.env.flush_all()
        with self.assertRaises(CheckViolation), self.cr.savepoint():
            self.env.cr.execute(
                "UPDATE wallet_balance SET balance = -1 WHERE partner_id = %s", [self.customer.id]
            )

    def demo_topup_transaction(self, amount, reference):
        provider = self.demo
        return self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": provider.payment_method_ids[:1].id
                or self.env.ref("payment.payment_method_unknown").id,
                "amount": amount,
                "currency_id": self.currency.id,
                "partner_id": self.customer.id,
                "reference": reference,
                "is_wallet_topup": True,
            }
        )

    def test_a_payment_transaction_moves_money_once_per_direction(self):
        transaction = self.demo_topup_transaction(30.0, "WALLET-IDEMPOTENT-1")
        pending = transaction.wallet_transaction_ids
        again = self.Ledger._credit(self.customer, 30.0, payment_transaction_id=transaction.id)
        self.assertEqual(again, pending, "the live entry is returned, nothing is added")
        transaction._set_done()
        for _delivery in range(2):
            transaction._post_process()
        self.assertEqual(pending.state, "done")
        self.assertEqual(self.customer.wallet_balance, 30.0)
        self.assertEqual(
            self.Ledger._credit(self.customer, 30.0, payment_transaction_id=transaction.id),
            pending,
        )
        self.assertEqual(self.customer.wallet_balance, 30.0)
        self.assertBooksAgree()

    def test_database_refuses_a_second_live_entry_for_one_payment_transaction(self):
        transaction = self.demo_topup_transaction(5.0, "WALLET-IDEMPOTENT-2")
        wallet = self.env["wallet.balance"]._lock(self.customer, self.company)
        second = {"payment_transaction_id": transaction.id}
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.Ledger._create_entry(wallet, 5.0, "credit", "topup", True, None, second)
        transaction.wallet_transaction_ids._cancel()
        late = self.Ledger._credit(self.customer, 5.0, pending=True, **second)
        self.assertEqual(late.state, "pending", "a cancelled entry leaves room for a new one")
        self.assertEqual(len(transaction.wallet_transaction_ids), 2)

    def test_a_debit_costs_what_a_core_payment_costs_at_any_history_length(self):
        """The debit's queries do not grow with the history, and stay within a
        few of core Odoo creating and posting a customer payment: the entry,
        the aggregate and the queued email are all the ledger adds."""
        short_history, long_history = self.env["res.partner"].create(
            [{"name": "Short history"}, {"name": "Long history"}]
        )
        self.topup(100.0, partner=short_history)
        for _entry in range(40):
            self.topup(1.0, partner=long_history)

        def queries(action):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            action()
            self.env.flush_all()
            return self.cr.sql_log_count - before

        def debit(partner):
            return lambda: self.Ledger._debit(partner, 1.0, description="counted")

        def core_payment():
            self.env["account.payment"].create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": short_history.id,
                    "amount": 1.0,
                    "journal_id": self.bank_journal.id,
                }
            ).action_post()

        def warm_queries(action):
            """The fewest of three runs: the first ones fill the registry's and
            each partner's first-time caches."""
            return min(queries(action) for _run in range(3))

        short = warm_queries(debit(short_history))
        # One query of core's posting is left to chance: the journal's latest
        # move is searched with ``order="date desc", limit=1``
        # (``account.move._get_last_sequence_domain``), and among same-day moves
        # PostgreSQL returns any.  When it returns the previous number, the
        # sequence-gap check finds that move in the cache and reads it no more.
        # That one query is the only difference allowed.
        self.assertAlmostEqual(
            warm_queries(debit(long_history)),
            short,
            delta=1,
            msg="a long history costs what a short one costs",
        )
        core = warm_queries(core_payment)
        self.assertLessEqual(short, core + 10, f"a debit takes {short} queries, core {core}")
        self.assertBooksAgree(short_history)
        self.assertBooksAgree(long_history)


class TestLedgerInEuros(InEuros, TestLedger):
    """The same ledger, in a company that keeps its books in euros."""
