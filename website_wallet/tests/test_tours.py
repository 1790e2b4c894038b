from odoo.tests import tagged

from .common import WalletHttpCommon


@tagged("post_install", "-at_install")
class TestPortalTours(WalletHttpCommon):
    """What a shopper clicks through, in Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.transfer.write(
            {"state": "enabled", "is_published": True, "journal_id": cls.bank_journal.id}
        )

    def test_the_portal_home_card_shows_the_balance_and_opens_my_wallet(self):
        self.topup(123.45)
        self.start_tour("/my", "website_wallet_portal_home", login="wallet_portal")

    def test_topup_with_the_demo_provider(self):
        self.start_tour("/my/wallet", "website_wallet_topup_demo", login="wallet_portal")
        self.assertEqual(self.customer.wallet_balance, 50.0)
        self.assertBooksAgree()

    def test_wire_transfer_pending_until_a_manager_confirms(self):
        self.start_tour("/my/wallet", "website_wallet_topup_wire", login="wallet_portal")
        entry = self.Ledger.search([("partner_id", "=", self.customer.id)])
        self.assertEqual((entry.state, entry.payment_transaction_id.state), ("pending", "pending"))
        self.assertEqual(self.customer.wallet_balance, 0.0)
        entry.with_user(self.wallet_manager).action_confirm()
        self.start_tour("/my/wallet", "website_wallet_balance_600", login="wallet_portal")
        self.assertBooksAgree()

    def test_history_walk_through_the_pager(self):
        for amount in range(1, 26):
            self.topup(float(amount))
        self.start_tour("/my/wallet", "website_wallet_history_pager", login="wallet_portal")
