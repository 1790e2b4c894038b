# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.addons.payment import reset_payment_provider, setup_provider


def post_init_hook(env):
    """Register the wallet payment method, then give companies that already have a
    chart their wallet account and journal, and the wallet provider its journal."""
    setup_provider(env, "wallet")
    env["res.company"].search([])._wallet_setup_accounting()


def uninstall_hook(env):
    reset_payment_provider(env, "wallet")
