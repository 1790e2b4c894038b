"""Uninstalling website_wallet leaves a working database."""

import os
import subprocess
import sys
from pathlib import Path

ODOO_SRC = Path(os.environ.get("ODOO_SRC", Path.home() / ".cache" / "odoo-18.0"))

# Runs inside `odoo shell` on a copy of the freshly installed test database.
SCRIPT = """
module = env["ir.module.module"].search([("name", "=", "website_wallet")])
assert module.state == "installed", module.state
module.button_immediate_uninstall()
env = odoo.api.Environment(env.cr, env.uid, {})  # the reloaded registry
module = env["ir.module.module"].search([("name", "=", "website_wallet")])
assert module.state == "uninstalled", module.state
assert "wallet.transaction" not in env.registry, "wallet model left behind"
broken = []
for view in env["ir.ui.view"].search([]):
    try:
        view._check_xml()
    except Exception as error:
        broken.append(f"{view.xml_id or view.id}: {error}")
assert not broken, broken
leftover = env["ir.model.data"].search_count([("module", "=", "website_wallet")])
assert leftover == 0, f"{leftover} records of website_wallet remain"
print("UNINSTALL-OK")
"""


def test_uninstall_leaves_no_broken_views():
    database = os.environ["WALLET_UNINSTALL_DB"]
    result = subprocess.run(
        [
            sys.executable,
            str(ODOO_SRC / "setup" / "odoo"),
            "shell",
            "-c",
            os.environ["ODOO_CONFIG"],
            "-d",
            database,
            "--no-http",
            "--log-level=warn",
        ],
        input=SCRIPT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert "UNINSTALL-OK" in result.stdout, result.stdout[-3000:] + result.stderr[-5000:]
