from odoo.tests import HttpCase


class TestPortalTour(HttpCase):
    def test_demo_shopper_sees_portal_home(self):
        """The browser path works end to end: Chromium, tours, the demo shopper."""
        self.start_tour("/my", "website_wallet_portal_home", login="shopper")
