"""Project-wide pytest policy: a test that cannot run is a failure, not a skip.

Odoo's browser tests raise SkipTest when Chromium or websocket-client is
missing, and pytest-odoo skips HttpCase without --odoo-http.  Either would let
a run look green while proving nothing, so every skip is reported as a failure
that carries the original reason.
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"test could not run (skips are failures here): {reason}"
