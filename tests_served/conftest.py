"""Fixtures for checks that run outside Odoo's test harness.

`served` starts the README's run command (scripts/run.sh) on a spare port and
yields a client for it, so the checks see exactly what a new user sees.
"""

import functools
import os
import signal
import subprocess
import time
import xmlrpc.client
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("WALLET_SERVED_PORT", "8079"))
# Never the user's demo database: scripts/test.sh passes a throw-away copy.
DB = os.environ.get("WALLET_SERVED_DB", "wallet_served")
START_TIMEOUT = 1200  # the first run creates the demo database


class Served:
    def __init__(self, url, db):
        self.url = url
        self.db = db

    def session(self, login=None, password=None):
        http = requests.Session()
        if login:
            page = http.get(f"{self.url}/web/login", timeout=30)
            token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            reply = http.post(
                f"{self.url}/web/login",
                data={"login": login, "password": password, "csrf_token": token},
                timeout=60,
            )
            assert reply.status_code == 200
            assert http.cookies.get("session_id")
        return http

    def jsonrpc(self, http, route, **params):
        reply = http.post(
            f"{self.url}{route}",
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=120,
        )
        reply.raise_for_status()
        body = reply.json()
        assert "error" not in body, body.get("error")
        return body.get("result")

    @functools.cached_property
    def admin_uid(self):
        """Authenticating hashes the password (most of a second): once is enough."""
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
        return common.authenticate(self.db, "admin", "admin", {})

    def admin(self, model, method, *args, **kwargs):
        uid = self.admin_uid
        models = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
        return models.execute_kw(self.db, uid, "admin", model, method, list(args), kwargs)


def _wait_until_serving(url, process):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the run command exited early with status {process.returncode}")
        try:
            if requests.get(f"{url}/web/login", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not up yet, or still loading
            pass
        time.sleep(2)
    pytest.fail(f"the run command did not serve {url} within {START_TIMEOUT}s")


@pytest.fixture(scope="session")
def served():
    url = f"http://localhost:{PORT}"
    env = dict(os.environ, WALLET_PORT=str(PORT), WALLET_DB=DB)
    process = subprocess.Popen([str(ROOT / "scripts" / "run.sh")], env=env, start_new_session=True)
    try:
        _wait_until_serving(url, process)
        yield Served(url, DB)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
