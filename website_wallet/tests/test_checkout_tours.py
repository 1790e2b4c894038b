from odoo.tests import tagged

from .common import WalletHttpCommon


@tagged("post_install", "-at_install")
class TestCheckoutTours(WalletHttpCommon):
    """Paying with the wallet in Chromium: the shop, the shortfall, an invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company._wallet_setup_accounting()
        cls.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", False)
        cls.gadget = cls.make_product("Wallet Gadget", 97.0)
        cls.console = cls.make_product("Wallet Console", 750.0)
        cls.transfer.write(
            {"state": "enabled", "is_published": True, "journal_id": cls.bank_journal.id}
        )

    def last_order(self):
        return self.env["sale.order"].search(
            [("partner_id", "child_of", self.customer.id)], limit=1
        )

    def test_shop_checkout_paid_with_the_wallet(self):
        self.topup(339.50)
        self.start_tour("/shop", "website_wallet_checkout", login="wallet_portal")
        order = self.last_order()
        self.assertEqual((order.state, order.amount_total), ("sale", 97.0))
        self.assertEqual(self.customer.wallet_balance, 242.50)
        self.assertBooksAgree()

    def test_insufficient_balance_links_to_add_money_with_the_shortfall(self):
        self.topup(242.50)
        self.start_tour("/shop", "website_wallet_shortfall", login="wallet_portal")
        self.assertEqual(self.last_order().state, "draft")
        self.assertEqual(self.customer.wallet_balance, 242.50)

    def test_portal_invoice_paid_with_the_wallet(self):
        self.topup(80.0)
        invoice = self.make_invoice(50.0)
        self.start_tour(invoice.get_portal_url(), "website_wallet_invoice", login="wallet_portal")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.customer.wallet_balance, 30.0)
        self.assertBooksAgree()

    def test_seed_scenario(self):
        """$339.50; buy $97.00 → $242.50; a $750.00 cart cannot use the wallet and
        offers to add $507.50; $600.00 by wire stays pending; confirmed → $842.50;
        the $750.00 cart is paid → $92.50; a $50.00 invoice is paid → $42.50."""
        self.topup(339.50)
        self.start_tour("/shop", "website_wallet_checkout", login="wallet_portal")
        self.assertEqual(self.last_order().state, "sale")
        self.assertEqual(self.customer.wallet_balance, 242.50)

        self.start_tour("/shop", "website_wallet_seed_short_then_wire", login="wallet_portal")
        wire = self.Ledger.search(
            [("partner_id", "=", self.customer.id), ("state", "=", "pending")]
        )
        self.assertEqual((wire.amount, wire.payment_transaction_id.state), (600.0, "pending"))
        self.assertEqual(self.customer.wallet_balance, 242.50)
        wire.with_user(self.wallet_manager).action_confirm()
        self.assertEqual(self.customer.wallet_balance, 842.50)

        self.start_tour("/shop/cart", "website_wallet_seed_pay_cart", login="wallet_portal")
        console_order = self.last_order()
        self.assertEqual((console_order.state, console_order.amount_total), ("sale", 750.0))
        self.assertEqual(self.customer.wallet_balance, 92.50)

        invoice = self.make_invoice(50.0)
        self.start_tour(invoice.get_portal_url(), "website_wallet_invoice", login="wallet_portal")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.customer.wallet_balance, 42.50)
        self.assertBooksAgree()
