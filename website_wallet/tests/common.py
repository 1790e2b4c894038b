from odoo import api
from odoo.tests import HttpCase, TransactionCase, new_test_user


def committed_wallet(registry, name, amount):
    """A new customer whose wallet holds ``amount``, committed so that other
    database cursors (concurrent workers) see it.  The concurrency tests use it;
    the data stays in the throw-away test database."""
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        env.company._wallet_setup_accounting()
        partner = env["res.partner"].create({"name": name})
        account = env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", env.company.ids)], limit=1
        )
        env["wallet.transaction"]._credit(
            partner,
            amount,
            kind="adjustment",
            description="Opening balance",
            counterpart_account_id=account.id,
        )
        return partner.id


class WalletFixtures:
    """A company customer with a contact, users of each role, and the journals
    and accounts the ledger books against."""

    @classmethod
    def setup_wallet_fixtures(cls):
        cls.company = cls.env.company
        cls.company._wallet_setup_accounting()
        cls.currency = cls.company.currency_id
        cls.Ledger = cls.env["wallet.transaction"]
        cls.customer = cls.env["res.partner"].create(
            {"name": "Wallet Customer Inc", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Wendy Wallet",
                "parent_id": cls.customer.id,
                "email": "wendy@example.com",
                "phone": "+1 555 0101",
                "street": "1 Wallet Way",
                "city": "Springfield",
                "zip": "62701",
                "country_id": cls.env.ref("base.us").id,
                "state_id": cls.env.ref("base.state_us_14").id,
            }
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer"})
        cls.bank_journal = cls.env["account.journal"].search(
            [
                ("type", "=", "bank"),
                ("company_id", "=", cls.company.id),
                ("id", "!=", cls.company.wallet_journal_id.id),
            ],
            limit=1,
        )
        cls.goodwill_account = cls.env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", cls.company.ids)], limit=1
        )
        cls.portal_user = new_test_user(
            cls.env, login="wallet_portal", groups="base.group_portal", partner_id=cls.contact.id
        )
        cls.other_portal_user = new_test_user(
            cls.env,
            login="wallet_portal_other",
            groups="base.group_portal",
            partner_id=cls.other_customer.id,
        )
        cls.wallet_user = new_test_user(cls.env, login="wallet_clerk", groups="base.group_user")
        cls.wallet_manager = new_test_user(
            cls.env,
            login="wallet_boss",
            groups="base.group_user,website_wallet.group_wallet_manager",
        )

    @classmethod
    def make_product(cls, name, price):
        """A published service (no delivery step) at an exact, untaxed price."""
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "service",
                "list_price": price,
                "taxes_id": [],
                "is_published": True,
                "sale_ok": True,
            }
        )

    def make_order(self, amount, partner=None):
        product = self.make_product(f"Wallet item {amount}", amount)
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.contact).id,
                "order_line": [(0, 0, {"product_id": product.id, "tax_id": []})],
            }
        )

    def make_invoice(self, amount, move_type="out_invoice", partner=None):
        product = self.make_product(f"Invoiced item {amount}", amount)
        invoice = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or self.contact).id,
                "invoice_line_ids": [
                    (0, 0, {"product_id": product.id, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        return invoice

    def topup(self, amount, partner=None, **values):
        values.setdefault("journal", self.bank_journal)
        return self.Ledger._credit(partner or self.customer, amount, kind="topup", **values)

    def wire_topup(self, amount, partner=None, confirmed=True):
        """A wire-transfer top-up as the Add Money route opens it; ``confirmed``:
        the customer confirmed the transfer, which now awaits the money."""
        partner = partner or self.customer
        provider = self.env.ref("payment.payment_provider_transfer")
        provider.write({"state": "test", "journal_id": self.bank_journal.id})
        transaction = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                "amount": amount,
                "currency_id": self.currency.id,
                "partner_id": partner.id,
                "is_wallet_topup": True,
            }
        )
        if confirmed:
            transaction._set_pending()
        return transaction.wallet_transaction_ids

    def wallet_account_balance(self, partner=None):
        """The partner's balance on the Customer Wallet liability account (credit positive)."""
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", self.company.wallet_account_id.id),
                ("partner_id", "=", (partner or self.customer).id),
                ("parent_state", "=", "posted"),
            ]
        )
        return -sum(lines.mapped("balance"))

    def assertBooksAgree(self, partner=None):
        partner = partner or self.customer
        self.assertAlmostEqual(self.wallet_account_balance(partner), partner.wallet_balance, 2)
        self.assertEqual(self.Ledger._check_ledger(), [])


class WalletCommon(WalletFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_wallet_fixtures()


class WalletHttpCommon(WalletFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_wallet_fixtures()
