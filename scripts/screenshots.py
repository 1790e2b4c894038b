"""Take the README's screenshots from a served demo database, in Chromium.

Run through scripts/screenshots.sh (make screenshots), which serves a fresh
demo database with the run command and passes its URL and database name.
Every picture shows the real page a shopper, an accountant or an
administrator sees; the flows are clicked through, not faked.
"""

import datetime
import json
import sys
import xmlrpc.client
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

URL, DB = sys.argv[1], sys.argv[2]
OUT = Path(__file__).resolve().parent.parent / "website_wallet" / "static" / "description"
CHROMIUM = "/usr/bin/chromium"


def admin(model, method, *args, **kwargs):
    uid = xmlrpc.client.ServerProxy(f"{URL}/xmlrpc/2/common").authenticate(DB, "admin", "admin", {})
    proxy = xmlrpc.client.ServerProxy(f"{URL}/xmlrpc/2/object", allow_none=True)
    return proxy.execute_kw(DB, uid, "admin", model, method, list(args), kwargs)


def login(page, user):
    page.goto(f"{URL}/web/login")
    page.fill("input[name=login]", user)
    page.fill("input[name=password]", user)
    page.click("form.oe_login_form button[type=submit]")
    page.wait_for_url(lambda url: "/web/login" not in url)


def shot(page, name, selector=None):
    # The backend keeps a websocket open: wait for the page, not for silence.
    page.wait_for_load_state("load")
    page.wait_for_timeout(1000)
    target = page.locator(selector).first if selector else page
    target.screenshot(path=str(OUT / f"screenshot_{name}.png"))
    print(f"screenshot_{name}.png")


def choose(page, method, scope=""):
    """Select a payment method (its label covers the radio button)."""
    # With a saved card, the form shows it first and folds the other methods.
    expand = page.locator(f"{scope} button[name=o_payment_expand_button] >> visible=true")
    if expand.count():
        expand.first.click()
    radios = page.locator(f"{scope} input[data-payment-method-code='{method}'] >> visible=true")
    radios.first.click(force=True)


def add_to_cart(page, product):
    page.goto(f"{URL}/shop?search={product}")
    page.click(f"a:has-text('{product}')")
    page.click("#add_to_cart")
    page.wait_for_timeout(1500)


def prepare_data():
    """Products to buy and an unpaid invoice, and the demo card allowed to be
    saved (for automatic top-ups); returns (partner id, invoice URL)."""
    demo = admin("payment.provider", "search", [("code", "=", "demo")])
    admin("payment.provider", "write", demo, {"allow_tokenization": True})
    shopper = admin("res.users", "search_read", [("login", "=", "shopper")], ["partner_id"])
    partner_id = shopper[0]["partner_id"][0]
    for name, price in (("Wallet Gadget", 97.0), ("Wallet Console", 750.0)):
        if not admin("product.product", "search", [("name", "=", name)]):
            admin(
                "product.product",
                "create",
                {
                    "name": name,
                    "type": "service",
                    "list_price": price,
                    "taxes_id": [],
                    "is_published": True,
                    "sale_ok": True,
                },
            )
    invoice_id = admin(
        "account.move",
        "create",
        {
            "move_type": "out_invoice",
            "partner_id": partner_id,
            "invoice_line_ids": [
                (0, 0, {"name": "Gift wrapping", "price_unit": 50.0, "quantity": 1, "tax_ids": []})
            ],
        },
    )
    admin("account.move", "action_post", [invoice_id])
    [invoice] = admin("account.move", "read", [invoice_id], ["access_url"])
    return partner_id, invoice["access_url"]


def shopper_screens(page, invoice_url):
    login(page, "shopper")
    page.goto(f"{URL}/my/wallet")
    shot(page, "my_wallet")
    page.goto(f"{URL}/my/wallet/transactions/page/2")
    shot(page, "history")
    page.goto(f"{URL}/my/wallet/add")
    shot(page, "add_money")

    page.fill("input[name=amount]", "50.00")
    page.click("button.o_wallet_proceed")
    page.wait_for_selector("#o_payment_form")
    choose(page, "demo")
    shot(page, "payment_step")
    page.fill("input[name=customer_input]", "4242424242424242")
    # Saved for the automatic top-up set at the end.
    page.locator("input[name=o_payment_tokenize_checkbox] >> visible=true").first.check()
    page.click("button[name=o_payment_submit_button]")
    page.wait_for_selector(".o_wallet_topup_done", timeout=60000)
    shot(page, "topup_success")

    add_to_cart(page, "Wallet Gadget")
    page.goto(f"{URL}/shop/checkout?try_skip_step=true")
    page.wait_for_selector("#o_payment_form")
    choose(page, "wallet")
    shot(page, "checkout_wallet")
    page.click("button[name=o_payment_submit_button]")
    page.wait_for_selector(".oe_website_sale_tx_status", timeout=60000)
    # The paid order's cashback (the demo's 5% rule), beside the welcome gift.
    page.goto(f"{URL}/my/wallet")
    page.wait_for_selector(".o_wallet_promo_expiring")
    shot(page, "my_wallet_promotional")

    add_to_cart(page, "Wallet Console")
    page.goto(f"{URL}/shop/checkout?try_skip_step=true")
    page.wait_for_selector(".o_wallet_shortfall")
    shot(page, "checkout_insufficient")
    page.click("input.o_wallet_split_toggle")
    page.wait_for_selector("input.o_wallet_split_toggle:checked")
    choose(page, "demo")
    shot(page, "checkout_split")

    # From the invoice list, as a shopper does: its links carry the access token
    # that the payment form needs.
    page.goto(f"{URL}/my/invoices")
    page.click(f"a[href^='{invoice_url}?']")
    page.click("a[data-bs-target='#pay_with']")
    page.wait_for_selector("#pay_with.show")
    choose(page, "wallet", "#pay_with")
    page.locator("#pay_with button[name=o_payment_submit_button] >> visible=true").first.click()
    page.wait_for_selector(".badge:has-text('Paid')", timeout=60000)
    shot(page, "invoice_paid")
    auto_topup_screen(page)


def auto_topup_screen(page):
    """The automatic top-up, from the card saved during Add Money."""
    page.goto(f"{URL}/my/wallet")
    page.check("#wallet_auto_topup_enabled")
    page.fill("#wallet_auto_topup_threshold", "20.00")
    page.fill("#wallet_auto_topup_amount", "50.00")
    page.fill("#wallet_auto_topup_cap", "200.00")
    page.fill("#wallet_auto_topup_alert", "30.00")
    page.click("button.o_wallet_auto_topup_save")
    page.wait_for_selector(".o_wallet_auto_topup_saved")
    shot(page, "auto_topup", "#wallet_auto_topup")


def backend_screens(page, partner_id):
    login(page, "admin")
    page.goto(f"{URL}/odoo/action-account.res_partner_action_customer/{partner_id}")
    page.wait_for_selector("button[name=action_view_wallet_transactions]")
    shot(page, "partner_smart_button")
    page.goto(f"{URL}/odoo/action-website_wallet.action_wallet_transaction")
    page.wait_for_selector(".o_list_view")
    shot(page, "backend_transactions")
    # The roll-forward of this year, and the shopper's statement as the PDF
    # shows it (its HTML rendering, same template).
    today = datetime.date.today()
    page.goto(f"{URL}/odoo/action-website_wallet.action_wallet_liability")
    page.wait_for_selector("div[name=date_from] input")
    for field, day in (("date_from", today.replace(month=1, day=1)), ("date_to", today)):
        page.fill(f"div[name={field}] input", day.strftime("%m/%d/%Y"))
        page.keyboard.press("Tab")
    page.click("button[name=action_compute]")
    page.wait_for_selector("div[name=line_ids] .o_data_row")
    shot(page, "liability")
    period = {
        "wallet_statement_from": today.replace(month=1, day=1).isoformat(),
        "wallet_statement_to": today.isoformat(),
    }
    page.goto(
        f"{URL}/report/html/website_wallet.report_wallet_statement/{partner_id}"
        f"?context={quote(json.dumps(period))}"
    )
    shot(page, "statement", ".page")
    page.goto(f"{URL}/odoo/action-website_wallet.action_wallet_cashback_rule")
    page.wait_for_selector(".o_list_view .o_data_row")
    shot(page, "cashback_rules")
    page.goto(f"{URL}/odoo/action-account.res_partner_action_customer")
    page.wait_for_selector(".o_kanban_view, .o_list_view")
    page.goto(f"{URL}/odoo/action-website_wallet.action_wallet_grant_wizard")
    page.wait_for_selector(".modal div[name=partner_ids] input")
    page.fill(".modal div[name=partner_ids] input", "Sam Shopper")
    page.wait_for_selector(".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item")
    page.keyboard.press("Enter")
    page.fill(".modal div[name=amount] input", "15.00")
    page.fill(".modal div[name=reason] input", "Sorry for the late delivery")
    page.fill(
        ".modal div[name=expiry_date] input",
        (today.replace(day=28) + datetime.timedelta(days=35)).strftime("%m/%d/%Y"),
    )
    page.click(".modal div[name=reason] input")  # closes the date picker
    page.wait_for_timeout(300)
    shot(page, "grant_wizard", ".modal-content")
    page.goto(f"{URL}/odoo/action-website.action_website_configuration")
    page.wait_for_selector("div[name=wallet_topup_min]")
    block = "div.o_settings_container:has(div[name=wallet_topup_min])"
    page.locator(block).scroll_into_view_if_needed()
    shot(page, "settings", block)


def main():
    partner_id, invoice_url = prepare_data()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        viewport = {"width": 1280, "height": 900}
        for screens, arg in ((shopper_screens, invoice_url), (backend_screens, partner_id)):
            page = browser.new_page(viewport=viewport)
            try:
                screens(page, arg)
            except Exception:
                page.screenshot(path="/tmp/website_wallet_screenshot_failure.png")
                print("failed on", page.url, "- see /tmp/website_wallet_screenshot_failure.png")
                raise
        browser.close()


if __name__ == "__main__":
    main()
