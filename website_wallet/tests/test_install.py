from odoo.tests import TransactionCase


class TestInstall(TransactionCase):
    def test_module_installed_with_dependencies(self):
        module = self.env["ir.module.module"].search([("name", "=", "website_wallet")])
        self.assertEqual(module.state, "installed")
        self.assertEqual(
            set(module.dependencies_id.mapped("name")),
            {"website_sale", "account_payment", "payment_custom", "payment_stripe"},
        )

    def test_all_views_of_the_module_are_valid(self):
        """A broken inherited view only shows when it is combined with its parents."""
        views = self.env["ir.ui.view"].search(
            [("model_data_id.module", "=", "website_wallet")]
        ) | self.env["ir.model.data"].search(
            [("module", "=", "website_wallet"), ("model", "=", "ir.ui.view")]
        ).mapped(lambda d: self.env["ir.ui.view"].browse(d.res_id))
        for view in views:
            with self.subTest(view=view.xml_id):
                view._check_xml()
