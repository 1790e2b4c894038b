"""Only the ledger writes the Customer Wallet account: posted items
are not re-pointed, a customer who joins a company takes the wallet with the
books, and no money is withdrawn through the Wallet journal itself.  After
each, the ledger, the aggregate and the books agree."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user

from .common import WalletCommon


class TestPostedItemsStayAsBooked(WalletCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(
            cls.env,
            login="wallet_books_billing",
            groups="base.group_user,account.group_account_invoice",
        )

    def wallet_item(self, entry):
        return entry.move_id.line_ids.filtered(
            lambda line: line.account_id == self.company.wallet_account_id
        )

    def test_posted_wallet_items_keep_their_account_partner_and_amounts(self):
        entry = self.topup(50.0)
        item = self.wallet_item(entry).with_user(self.billing)
        other_account = self.env["account.account"].search(
            [
                ("account_type", "=", "liability_current"),
                ("company_ids", "in", self.company.ids),
                ("id", "!=", self.company.wallet_account_id.id),
            ],
            limit=1,
        )
        for values in (
            {"account_id": other_account.id},
            {"partner_id": self.other_customer.id},
            {"partner_id": False},
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(UserError, "only the wallet ledger books"),
                self.cr.savepoint(),
            ):
                item.write(values)
        with self.assertRaises(UserError), self.cr.savepoint():  # core closes this path too
            entry.move_id.with_user(self.billing).write(
                {"line_ids": [Command.update(item.id, {"partner_id": self.other_customer.id})]}
            )
        self.assertBooksAgree()

    def test_no_posted_item_moves_onto_the_wallet_account(self):
        self.topup(50.0)
        journal = self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.company.id)], limit=1
        )
        move = (
            self.env["account.move"]
            .with_user(self.billing)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": self.goodwill_account.id,
                                "partner_id": self.customer.id,
                                "balance": 30.0,
                            }
                        ),
                        Command.create(
                            {
                                "account_id": self.bank_journal.default_account_id.id,
                                "partner_id": self.customer.id,
                                "balance": -30.0,
                            }
                        ),
                    ],
                }
            )
        )
        move.action_post()
        expense = move.line_ids.filtered(lambda line: line.account_id == self.goodwill_account)
        with self.assertRaisesRegex(UserError, "only the wallet ledger books"):
            expense.with_user(self.billing).write({"account_id": self.company.wallet_account_id.id})
        self.assertEqual(self.wallet_account_balance(), 50.0)
        self.assertBooksAgree()

    def test_other_items_stay_editable_and_unchanged_values_may_be_written_again(self):
        entry = self.topup(50.0)
        item = self.wallet_item(entry)
        item.with_user(self.billing).write(
            {"partner_id": item.partner_id.id, "account_id": item.account_id.id, "name": "Label"}
        )
        invoice = self.make_invoice(80.0)
        income = invoice.line_ids.filtered(lambda line: line.display_type == "product")
        income.with_user(self.billing).write({"name": "Renamed"})
        self.assertEqual(income.name, "Renamed")
        self.assertBooksAgree()


class TestAWalletFollowsItsOwner(WalletCommon):
    """A private customer becomes the contact of a company: Odoo moves the
    customer's journal entries to the company, and the wallet moves with them."""

    def test_setting_the_company_of_a_private_customer_moves_the_wallet(self):
        person = self.env["res.partner"].create({"name": "Pat Private"})
        self.topup(70.0, partner=person)
        self.Ledger._credit(
            person,
            5.0,
            kind="adjustment",
            description="goodwill",
            counterpart_account_id=self.goodwill_account.id,
        )
        self.Ledger._debit(person, 20.0, description="Order S9")
        self.wire_topup(40.0, partner=person)
        self.topup(10.0)  # the company's own wallet
        entries = self.Ledger.search([("partner_id", "=", person.id)])
        person.parent_id = self.customer
        self.assertEqual(entries.partner_id, self.customer)
        self.assertEqual(self.customer.wallet_balance, 65.0)
        self.assertEqual(self.customer.wallet_pending, 40.0)
        self.assertEqual(person.wallet_balance, 65.0, "a contact shares its company's wallet")
        self.assertFalse(self.env["wallet.balance"].search([("partner_id", "=", person.id)]))
        self.assertEqual(self.wallet_account_balance(person), 0.0)
        self.Ledger._debit(person, 65.0, description="every cent can be spent")
        self.assertBooksAgree()

    def test_a_contact_that_leaves_its_company_leaves_the_wallet_with_the_company(self):
        self.topup(30.0)
        self.contact.parent_id = False
        self.assertEqual(self.customer.wallet_balance, 30.0)
        self.assertEqual(self.contact.wallet_balance, 0.0)
        self.assertBooksAgree()
        self.assertBooksAgree(self.contact)


class TestWithdrawals(WalletCommon):
    def test_the_wallet_journal_cannot_pay_out_a_withdrawal(self):
        self.topup(50.0)
        self.wallet_manager.groups_id += self.env.ref("account.group_account_invoice")
        wizard = (
            self.env["wallet.withdrawal.wizard"]
            .with_user(self.wallet_manager)
            .create(
                {
                    "partner_id": self.customer.id,
                    "amount": 50.0,
                    "journal_id": self.company.wallet_journal_id.id,
                }
            )
        )
        with self.assertRaisesRegex(UserError, "cannot receive or pay out wallet money"):
            wizard.action_withdraw()
        self.assertEqual(self.customer.wallet_balance, 50.0)
        self.assertBooksAgree()
