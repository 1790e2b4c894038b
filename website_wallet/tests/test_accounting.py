from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user

from .common import WalletCommon, WalletProviderMixin


class TestAccounting(WalletCommon):
    def test_setup_creates_a_liability_account_and_a_wallet_journal(self):
        account, journal = self.company._wallet_accounting()
        self.assertEqual(account.account_type, "liability_current")
        self.assertEqual(account.name, "Customer Wallet")
        self.assertEqual(journal.type, "bank")
        lines = journal.inbound_payment_method_line_ids | journal.outbound_payment_method_line_ids
        self.assertEqual(lines.payment_account_id, account)
        codes = self.env["account.account"].search([("code", "=", account.code)])
        self.assertEqual(len(codes), 1, "the wallet account code does not clash with the chart")

    def test_a_company_that_gets_its_chart_later_gets_its_wallet_accounting(self):
        company = self.env["res.company"].create({"name": "Wallet Late Chart Co"})
        self.assertFalse(company.wallet_account_id)
        self.env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        self.assertEqual(company.wallet_account_id.account_type, "liability_current")
        self.assertEqual(company.wallet_journal_id.default_account_id, company.wallet_account_id)
        provider = self.env["payment.provider"].search(
            [("code", "=", "wallet"), ("company_id", "=", company.id)]
        )
        self.assertEqual(provider.journal_id, company.wallet_journal_id)

    def test_topup_credits_the_liability_not_the_receivable(self):
        entry = self.topup(120.0)
        lines = entry.move_id.line_ids
        wallet_line = lines.filtered(lambda line: line.account_id == self.company.wallet_account_id)
        self.assertEqual((wallet_line.credit, wallet_line.partner_id), (120.0, self.customer))
        other = lines - wallet_line
        self.assertEqual(other.debit, 120.0)
        self.assertNotEqual(other.account_id.account_type, "asset_receivable")
        invoice = self.make_invoice(50.0)
        self.assertFalse(
            invoice.invoice_has_outstanding,
            "a top-up must not show as an outstanding credit that could be spent twice",
        )

    def test_wallet_payment_of_an_invoice_debits_the_liability_and_pays_it(self):
        self.topup(100.0)
        invoice = self.make_invoice(60.0)
        entry = self.Ledger._debit(
            self.contact, 60.0, invoice_id=invoice.id, description=invoice.name
        )
        payment = entry.account_payment_id
        self.assertEqual(payment.journal_id, self.company.wallet_journal_id)
        wallet_line = entry.move_id.line_ids.filtered(
            lambda line: line.account_id == self.company.wallet_account_id
        )
        self.assertEqual(wallet_line.debit, 60.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertBooksAgree()

    def test_refund_to_the_wallet_credits_the_liability_against_the_credit_note(self):
        credit_note = self.make_invoice(20.0, move_type="out_refund")
        entry = self.Ledger._credit(
            self.contact,
            20.0,
            kind="refund",
            invoice_id=credit_note.id,
            origin_move_id=credit_note.id,
        )
        self.assertEqual(entry.account_payment_id.payment_type, "outbound")
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.customer.wallet_balance, 20.0)
        self.assertBooksAgree()

    def test_books_agree_with_the_ledger_after_a_mixed_sequence(self):
        topup = self.topup(339.50)
        self.Ledger._debit(self.customer, 97.0, description="Order S1")
        wire = self.wire_topup(600.0)
        wire.with_user(self.wallet_manager).action_confirm()
        invoice = self.make_invoice(50.0)
        self.Ledger._debit(self.customer, 50.0, invoice_id=invoice.id)
        self.Ledger._credit(
            self.customer, 7.5, kind="adjustment", counterpart_account_id=self.goodwill_account.id
        )
        self.wire_topup(40.0)._cancel()
        self.topup(12.25, partner=self.other_customer)
        self.Ledger._debit(self.contact, 100.0)._reverse("wrong order")
        topup._reverse("card charged back")
        self.assertEqual(self.customer.wallet_balance, 339.50 - 97 + 600 - 50 + 7.5 - 339.50)
        self.assertEqual(self.wallet_account_balance(), self.customer.wallet_balance)
        self.assertEqual(self.wallet_account_balance(self.other_customer), 12.25)
        self.assertBooksAgree()
        self.assertBooksAgree(self.other_customer)


class TestOneAccountingPath(WalletProviderMixin, WalletCommon):
    """Wallet payments are booked by the framework's ``_create_payment``; the
    ledger's own payments and entries stay as booked."""

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
                    "provider_id": self.transfer.id,
                    "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                    "amount": 50.0,
                    "currency_id": eur.id,
                    "partner_id": self.customer.id,
                    "is_wallet_topup": True,
                }
            )
