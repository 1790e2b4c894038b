# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "eCommerce Wallet",
    "summary": "Prepaid customer wallet (store credit): top up, pay orders and invoices",
    "version": "18.0.1.5.0",
    "category": "Website/eCommerce",
    "website": "https://github.com/website-wallet/website_wallet",
    "author": "website_wallet developers",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    # website_sale: the shop checkout the wallet pays; account_payment: the
    # payment framework and its accounting (journals, account.payment).
    # payment_custom: wire-transfer top-ups stay pending until confirmed, and
    # their payment has no method line of its own (handled in code);
    # payment_stripe: the card top-up the product is described with. Both are
    # configured by the demo data so that every flow can be tried.
    "depends": ["website_sale", "account_payment", "payment_custom", "payment_stripe"],
    "data": [
        "security/wallet_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "views/payment_templates.xml",
        "data/payment_method_data.xml",
        "data/payment_provider_data.xml",
        "views/mail_templates.xml",
        "report/wallet_statement_report.xml",
        "report/wallet_liability_report.xml",
        "data/mail_template_data.xml",
        "wizard/wallet_adjustment_wizard_views.xml",
        "wizard/wallet_withdrawal_wizard_views.xml",
        "wizard/wallet_liability_wizard_views.xml",
        "wizard/wallet_statement_wizard_views.xml",
        "views/wallet_transaction_views.xml",
        "views/wallet_promotion_views.xml",
        "views/wallet_topup_rule_views.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "views/portal_templates.xml",
        "views/res_config_settings_views.xml",
    ],
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "demo": [
        "demo/res_users_demo.xml",
        "demo/wallet_transaction_demo.xml",
        "demo/wallet_promotion_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "website_wallet/static/src/js/wallet_split.js",
        ],
        "web.assets_tests": [
            "website_wallet/static/tests/tours/*.js",
        ],
    },
}
