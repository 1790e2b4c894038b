from .common import WalletCommon


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
