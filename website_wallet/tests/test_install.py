from odoo.tests import TransactionCase


class TestInstall(TransactionCase):
    def test_module_installed_with_dependencies(self):
        module = self.env["ir.module.module"].search([("name", "=", "website_wallet")])
        self.assertEqual(module.state, "installed")
        self.assertEqual(
            set(module.dependencies_id.mapped("name")),
            {"website_sale", "account_payment", "payment_custom", "payment_stripe"},
        )

    def test_every_view_of_the_module_combines_with_its_parents(self):
        """A broken inherited view only shows when it is combined with its
        parents: each view of the addon is combined and checked, and an
        inherited one is found in its parent's combined arch."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "website_wallet"), ("model", "=", "ir.ui.view")]
        )
        views = self.env["ir.ui.view"].browse(data.mapped("res_id"))
        self.assertGreater(len(views), 20)
        for view in views:
            with self.subTest(view=view.xml_id):
                view._check_xml()  # raises on a view that does not render
                root = view
                while root.inherit_id:
                    root = root.inherit_id
                # Applying every inheritance raises on an xpath that finds nothing.
                self.assertIsNotNone(root._get_combined_arch())
