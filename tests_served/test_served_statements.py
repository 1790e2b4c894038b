"""Statements as wkhtmltopdf really renders them (tests render HTML only)."""

import datetime
import io
import zipfile

TODAY = datetime.date.today()


def test_shopper_downloads_a_pdf_statement_of_their_own_wallet(served):
    http = served.session("shopper", "shopper")
    page = http.get(f"{served.url}/my/wallet", timeout=60)
    assert 'action="/my/wallet/statement"' in page.text
    reply = http.get(
        f"{served.url}/my/wallet/statement",
        params={"date_from": "2000-01-01", "date_to": TODAY.isoformat()},
        timeout=300,
    )
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/pdf"
    assert "attachment" in reply.headers["Content-Disposition"]
    assert reply.content.startswith(b"%PDF")


def test_accountant_gets_the_roll_forward_as_pdf_and_xlsx(served):
    wizard_id = served.admin(
        "wallet.liability.wizard",
        "create",
        {"date_from": "2000-01-01", "date_to": TODAY.isoformat()},
    )
    served.admin("wallet.liability.wizard", "action_compute", [wizard_id])
    [totals] = served.admin(
        "wallet.liability.wizard",
        "read",
        [wizard_id],
        ["total_closing", "account_balance", "difference", "line_ids"],
    )
    assert totals["line_ids"], "the demo database has wallets"
    assert totals["difference"] == 0.0
    assert totals["total_closing"] == totals["account_balance"]

    http = served.session("admin", "admin")
    pdf = http.get(
        f"{served.url}/report/pdf/website_wallet.report_wallet_liability/{wizard_id}",
        timeout=300,
    )
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")

    action = served.admin("wallet.liability.wizard", "action_export_xlsx", [wizard_id])
    xlsx = http.get(f"{served.url}{action['url']}", timeout=60)
    assert xlsx.status_code == 200
    assert "xl/worksheets/sheet1.xml" in zipfile.ZipFile(io.BytesIO(xlsx.content)).namelist()
