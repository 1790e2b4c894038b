# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """Companies that already have a chart get their wallet account and journal now,
    so that they show in the settings before the first wallet is used."""
    env["res.company"].search([])._wallet_setup_accounting()
