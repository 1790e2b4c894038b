from odoo.exceptions import UserError
from odoo.tests import Form

from .common import WalletCommon


class TestPartner(WalletCommon):
    def test_smart_button_shows_balance_and_pending_and_opens_the_transactions(self):
        self.topup(42.0)
        self.wire_topup(8.0)
        partner = self.contact.with_user(self.wallet_user)
        arch = partner.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_view_wallet_transactions"', arch)
        with Form(partner) as form:
            self.assertEqual(form.wallet_balance, 42.0)
            self.assertEqual(form.wallet_pending, 8.0)
        action = partner.action_view_wallet_transactions()
        self.assertEqual(action["res_model"], "wallet.transaction")
        self.assertEqual(
            self.env["wallet.transaction"].search(action["domain"]).partner_id, self.customer
        )

    def test_balance_reads_cost_a_fixed_number_of_queries(self):
        """Neither the history length nor the number of partners changes the cost."""
        partners = self.env["res.partner"].create([{"name": f"Bulk {i}"} for i in range(12)])
        for partner in partners:
            self.topup(1.0, partner=partner)
        for _ in range(19):
            self.topup(1.0, partner=partners[-1])
        self.topup(1.0)

        def queries_to_read(records):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            records.read(["wallet_balance", "wallet_pending"])
            return self.cr.sql_log_count - before

        queries_to_read(partners)  # warm the caches of access rights and rules
        one = queries_to_read(self.customer)
        self.assertEqual(queries_to_read(partners[-1]), one, "20 entries cost what 1 costs")
        self.assertEqual(queries_to_read(partners), one, "12 partners cost what 1 costs")
        self.assertLessEqual(one, 5)
        self.assertEqual(partners[-1].wallet_balance, 20.0)


class TestMergeContacts(WalletCommon):
    """Merging contacts keeps every cent."""

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
