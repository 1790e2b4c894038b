from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import WalletHttpCommon


@tagged("post_install", "-at_install")
class TestSettings(WalletHttpCommon):
    def test_refund_cancelled_orders_is_in_the_wallet_block_of_settings(self):
        with Form(self.env["res.config.settings"]) as settings:
            settings.wallet_refund_cancelled_orders = True
        self.assertTrue(self.env["website"].get_current_website().wallet_refund_cancelled_orders)

    def settings(self, **values):
        settings = self.env["res.config.settings"].create(values)
        settings.execute()
        return settings

    def test_settings_are_stored_per_website_and_per_company(self):
        website = self.env["website"].get_current_website()
        self.settings(
            wallet_topup_min=5.0, wallet_topup_max=500.0, wallet_topup_presets="20, 50, 100"
        )
        self.assertEqual((website.wallet_topup_min, website.wallet_topup_max), (5.0, 500.0))
        self.assertEqual(website._wallet_topup_preset_amounts(), [20.0, 50.0, 100.0])
        sister = self.env["res.company"].create({"name": "Sister Wallet Co"})
        sister_account = self.env["account.account"].create(
            {
                "name": "Gift Card Liability",
                "code": "219999",
                "account_type": "liability_current",
                "company_ids": [(6, 0, sister.ids)],
            }
        )
        self.settings(company_id=sister.id, wallet_account_id=sister_account.id)
        self.assertEqual(sister.wallet_account_id, sister_account)
        self.assertNotEqual(self.company.wallet_account_id, sister_account)

    def test_an_empty_maximum_reads_no_limit(self):
        website = self.env["website"].get_current_website()
        settings = self.settings(wallet_topup_max=300.0)
        self.assertTrue(settings.wallet_topup_limited)
        self.assertEqual(website.wallet_topup_max, 300.0)
        settings = self.settings(wallet_topup_limited=False)
        self.assertEqual(website.wallet_topup_max, 0.0)
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.wallet_topup_limited)
        arch = settings.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("o_wallet_no_limit", arch)
        self.assertIn("No limit", arch)

    def test_invalid_values_are_refused_with_a_clear_message(self):
        website = self.env["website"].get_current_website()
        cases = [
            ({"wallet_topup_min": 0.0}, "minimum top-up must be greater than zero"),
            ({"wallet_topup_min": -1.0}, "minimum top-up must be greater than zero"),
            ({"wallet_topup_min": 50.0, "wallet_topup_max": 10.0}, "at least the minimum"),
            ({"wallet_topup_presets": "20, ten"}, "Preset amount ten"),
        ]
        for values, message in cases:
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                website.write(values)
            website.invalidate_recordset()
        expense = self.goodwill_account
        receivable = self.env["account.account"].search(
            [("account_type", "=", "asset_receivable")], limit=1
        )
        payable = self.env["account.account"].search(
            [("account_type", "=", "liability_payable")], limit=1
        )
        for account in (expense, receivable, payable):
            with (
                self.subTest(account=account.account_type),
                self.assertRaisesRegex(ValidationError, "liability account"),
                self.env.cr.savepoint(),
            ):
                self.company.wallet_account_id = account
        sister = self.env["res.company"].create({"name": "Sister Company"})
        foreign = self.env["account.account"].create(
            {
                "name": "Sister Wallet",
                "code": "219998",
                "account_type": "liability_current",
                "company_ids": [(6, 0, sister.ids)],
            }
        )
        with self.assertRaisesRegex(ValidationError, f"liability account of {self.company.name}"):
            self.company.wallet_account_id = foreign

    def test_settings_form_shows_the_wallet_block(self):
        form = Form(self.env["res.config.settings"])
        self.assertTrue(form.wallet_enabled)
        self.assertEqual(form.wallet_account_id, self.company.wallet_account_id)
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('id="website_wallet_settings"', arch)
        self.assertIn("Automatic Invoice", arch)
        pending = self.env["res.config.settings"].create({}).action_wallet_pending_topups()
        self.assertEqual(
            pending["context"], {"search_default_pending": 1, "search_default_topups": 1}
        )


@tagged("post_install", "-at_install")
class TestWalletTurnedOff(WalletHttpCommon):
    def test_routes_answer_404_and_the_provider_is_not_offered(self):
        self.topup(100.0)
        provider = self.env.ref("website_wallet.payment_provider_wallet")
        self.env["website"].get_current_website().wallet_enabled = False
        self.authenticate("wallet_portal", "wallet_portal")
        for route in (
            "/my/wallet",
            "/my/wallet/transactions",
            "/my/wallet/add",
            "/my/wallet/pay?amount=10",
        ):
            with self.subTest(route=route):
                self.assertEqual(self.url_open(route).status_code, 404)
        home = self.url_open("/my").text
        self.assertNotIn('href="/my/wallet"', home)
        invoice = self.make_invoice(20.0)
        page = self.url_open(invoice.get_portal_url()).text
        self.assertFalse(f'data-provider-id="{provider.id}"' in page, "wallet offered")
        self.assertFalse("o_wallet_shortfall" in page, "shortfall shown")


@tagged("post_install", "-at_install")
class TestSettingsTour(WalletHttpCommon):
    def test_minimum_top_up_changed_in_settings_is_enforced(self):
        self.start_tour(
            "/odoo/action-website.action_website_configuration",
            "website_wallet_settings_minimum",
            login="admin",
        )
        self.assertEqual(self.env["website"].get_current_website().wallet_topup_min, 25.0)
        self.start_tour("/my/wallet/add", "website_wallet_minimum_enforced", login="wallet_portal")
