"""The run command's server works for a new user and for a shopper."""

import re
import time
import xmlrpc.client

import pytest

EMAIL_WAIT = 90  # seconds: the cron worker is woken at once, but may be busy


def test_login_and_shop_pages_are_served(served):
    http = served.session()
    for route in ("/web/login", "/shop"):
        assert http.get(f"{served.url}{route}", timeout=60).status_code == 200, route


def _provider(served, code):
    """The main company's provider of ``code``, with its payment methods."""
    return served.admin(
        "payment.provider",
        "search_read",
        [("code", "=", code), ("company_id", "=", 1)],
        ["payment_method_ids"],
    )[0]


def _demo_card_pays(served, http, reference):
    """The demo card's own page answers "done"; the status page is polled."""
    served.jsonrpc(
        http,
        "/payment/demo/simulate_payment",
        reference=reference,
        payment_details="4242",
        simulated_state="done",
    )
    assert served.jsonrpc(http, "/payment/status/poll")["state"] == "done"


def _checkout(served, http, provider_code, price):
    """A cart of one product, then the payment form's Pay button: return the
    processing values of the transaction route and the payment page's CSRF token."""
    product_id = served.admin(
        "product.product",
        "create",
        {
            "name": f"Served smoke gift card ({provider_code})",
            "type": "service",
            "list_price": price,
            "is_published": True,
            "sale_ok": True,
            "taxes_id": [(6, 0, [])],
        },
    )
    served.jsonrpc(http, "/shop/cart/update_json", product_id=product_id, add_qty=1)
    assert http.get(f"{served.url}/shop/checkout", timeout=60).status_code == 200
    payment_page = http.get(f"{served.url}/shop/payment", timeout=60)
    assert payment_page.status_code == 200
    assert "o_payment_form" in payment_page.text
    transaction_route = re.search(r'data-transaction-route="([^"]+)"', payment_page.text)[1]
    provider = _provider(served, provider_code)
    processing = served.jsonrpc(
        http,
        transaction_route,
        provider_id=provider["id"],
        payment_method_id=provider["payment_method_ids"][0],
        token_id=None,
        amount=price,
        flow="redirect" if provider_code == "wallet" else "direct",
        tokenization_requested=False,
        landing_route="/shop/payment/validate",
        is_validation=False,
        access_token=re.search(r'data-access-token="([^"]+)"', payment_page.text)[1],
    )
    return processing, re.search(r'csrf_token: "([^"]+)"', payment_page.text)[1]


def _pay_by_demo_card(served, http, price):
    """A checkout paid with the demo card; its status page polled until done."""
    processing, _csrf = _checkout(served, http, "demo", price)
    _demo_card_pays(served, http, processing["reference"])
    return processing


def _pay_with_the_wallet(served, http, price):
    """A checkout paid with the wallet: its redirect form posted to the
    wallet's route, then its status page polled until done."""
    processing, csrf = _checkout(served, http, "wallet", price)
    reply = http.post(
        f"{served.url}/payment/wallet/process",
        data={"reference": processing["reference"], "csrf_token": csrf},
        allow_redirects=False,
        timeout=120,
    )
    assert reply.status_code == 303
    assert reply.headers["Location"].endswith("/payment/status")
    assert served.jsonrpc(http, "/payment/status/poll")["state"] == "done"
    return processing


def _order_of(served, reference):
    [transaction] = served.admin(
        "payment.transaction",
        "search_read",
        [("reference", "=", reference)],
        ["sale_order_ids", "state"],
    )
    return served.admin("sale.order", "read", transaction["sale_order_ids"], ["state"])[0]


def test_demo_shopper_buys_a_product_with_the_demo_provider(served):
    """The whole purchase, including the confirmation email and its PDF."""
    http = served.session("shopper", "shopper")
    processing = _pay_by_demo_card(served, http, 25.0)
    assert _order_of(served, processing["reference"])["state"] == "sale"


def test_shopper_pays_with_the_wallet_and_is_emailed_after_the_commit(served):
    """The wallet's checkout on a real server, whose cron worker sends the
    ledger's email once the payment has committed."""
    http = served.session("shopper", "shopper")
    [shopper] = served.admin(
        "res.users", "search_read", [("login", "=", "shopper")], ["partner_id"]
    )
    partner_id = shopper["partner_id"][0]

    def balance():
        return served.admin("res.partner", "read", [partner_id], ["wallet_balance"])[0][
            "wallet_balance"
        ]

    before = balance()
    assert before >= 7.0, "the demo shopper has a funded wallet"
    processing = _pay_with_the_wallet(served, http, 7.0)
    assert _order_of(served, processing["reference"])["state"] == "sale"
    assert abs(balance() - (before - 7.0)) < 0.001

    [entry] = served.admin(
        "wallet.transaction",
        "search_read",
        [("payment_transaction_id.reference", "=", processing["reference"])],
        ["id"],
    )
    deadline = time.monotonic() + EMAIL_WAIT
    while not (
        emails := served.admin(
            "mail.mail",
            "search_read",
            [("model", "=", "wallet.transaction"), ("res_id", "=", entry["id"])],
            ["subject"],
        )
    ):
        assert time.monotonic() < deadline, "the wallet's email was never sent"
        time.sleep(1)
    assert len(emails) == 1
    assert "with your wallet" in emails[0]["subject"]


def test_administrator_confirms_the_demo_wire_transfer_once(served):
    """The README's accountant step on the demo: the shopper's pending wire
    transfer, confirmed with its form's button, credits the wallet once, on
    the Customer Wallet account, and earns the demo's top-up bonus (10.00 of
    promotional credit for 100.00 or more) once."""
    [entry] = served.admin(
        "wallet.transaction",
        "search_read",
        [("name", "=", "WLT-DEMO-WIRE-1")],
        ["partner_id", "amount", "state", "payment_transaction_id"],
    )
    assert entry["state"] == "pending"
    partner_id = entry["partner_id"][0]

    def balance():
        return served.admin("res.partner", "read", [partner_id], ["wallet_balance"])[0][
            "wallet_balance"
        ]

    before = balance()
    served.admin("wallet.transaction", "action_confirm", [entry["id"]])
    with pytest.raises(xmlrpc.client.Fault, match="only a pending one"):
        served.admin("wallet.transaction", "action_confirm", [entry["id"]])  # a second click
    [confirmed] = served.admin(
        "wallet.transaction", "read", [entry["id"]], ["state", "account_payment_id"]
    )
    assert confirmed["state"] == "done"
    assert confirmed["account_payment_id"]
    [bonus] = served.admin(
        "wallet.lot",
        "search_read",
        [("topup_transaction_id", "=", entry["payment_transaction_id"][0])],
        ["source", "amount"],
    )
    assert (bonus["source"], bonus["amount"]) == ("bonus", 10.0)
    assert abs(balance() - (before + entry["amount"] + bonus["amount"])) < 0.001
    check = served.admin("wallet.transaction", "action_check_ledger")
    assert check["params"]["type"] == "success", check["params"]


def test_shopper_earns_cashback_sees_it_spends_it_and_the_roll_forward_shows_it(served):
    """The demo's 5% cashback rule, on a real server: a card checkout earns
    it once the order is paid; My Wallet shows it apart from cash, with its
    expiry; a wallet checkout spends promotional credit first; the liability
    roll-forward has it in its promotional columns."""
    http = served.session("shopper", "shopper")
    [shopper] = served.admin(
        "res.users", "search_read", [("login", "=", "shopper")], ["partner_id"]
    )
    partner_id = shopper["partner_id"][0]
    processing = _pay_by_demo_card(served, http, 40.0)
    order = served.admin(
        "payment.transaction",
        "search_read",
        [("reference", "=", processing["reference"])],
        ["sale_order_ids"],
    )[0]["sale_order_ids"]
    [cashback] = served.admin(
        "wallet.lot", "search_read", [("sale_order_id", "in", order)], ["amount", "expiry_date"]
    )
    assert cashback["amount"] == 2.0  # 5% of 40.00
    my_wallet = http.get(f"{served.url}/my/wallet", timeout=60).text
    assert "o_wallet_promo_expiring" in my_wallet
    assert "promotional credit" in my_wallet
    assert "Promotional" in my_wallet  # the history's badge

    processing = _pay_with_the_wallet(served, http, 1.5)
    [payment] = served.admin(
        "wallet.transaction",
        "search_read",
        [("payment_transaction_id.reference", "=", processing["reference"])],
        ["promo_amount", "fund"],
    )
    assert (payment["promo_amount"], payment["fund"]) == (1.5, "promo")

    today = time.strftime("%Y-%m-%d")
    wizard = served.admin(
        "wallet.liability.wizard", "create", {"date_from": today[:8] + "01", "date_to": today}
    )
    served.admin("wallet.liability.wizard", "action_compute", [wizard])
    [line] = served.admin(
        "wallet.liability.line",
        "search_read",
        [("wizard_id", "=", wizard), ("partner_id", "=", partner_id)],
        ["credit_cashback", "promo_spent", "promo_closing", "closing"],
    )
    assert line["credit_cashback"] >= 2.0
    assert line["promo_spent"] >= 1.5
    assert 0 < line["promo_closing"] <= line["closing"]
    [totals] = served.admin("wallet.liability.wizard", "read", [wizard], ["difference"])
    assert totals["difference"] == 0.0


def _wait_for(what, check):
    deadline = time.monotonic() + EMAIL_WAIT
    while not (result := check()):
        assert time.monotonic() < deadline, f"{what} never happened"
        time.sleep(1)
    return result


def _add_money_saving_the_card(served, http, amount):
    """Add Money with the demo card and Save my payment details ticked."""
    form = http.get(f"{served.url}/my/wallet/add", timeout=60).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)[1]
    pay_page = http.post(
        f"{served.url}/my/wallet/add", data={"amount": str(amount), "csrf_token": csrf}, timeout=60
    ).text
    assert "Save my payment details" in pay_page
    provider = _provider(served, "demo")
    processing = served.jsonrpc(
        http,
        re.search(r'data-transaction-route="([^"]+)"', pay_page)[1],
        amount=amount,
        access_token=re.search(r'data-access-token="([^"]+)"', pay_page)[1],
        provider_id=provider["id"],
        payment_method_id=provider["payment_method_ids"][0],
        token_id=None,
        flow="direct",
        tokenization_requested=True,
        landing_route="/my/wallet/status",
        is_validation=False,
    )
    _demo_card_pays(served, http, processing["reference"])
    [transaction] = served.admin(
        "payment.transaction",
        "search_read",
        [("reference", "=", processing["reference"])],
        ["token_id"],
    )
    assert transaction["token_id"], "the card was saved"
    return transaction["token_id"][0]


def _set_automatic_topup(served, http, **values):
    page = http.get(f"{served.url}/my/wallet", timeout=60).text
    reply = http.post(
        f"{served.url}/my/wallet/auto-topup",
        data={
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page)[1],
            "top_up_mode": "fixed",
            **values,
        },
        timeout=60,
    )
    assert reply.status_code == 200
    assert "Your automatic top-up is saved" in reply.text, reply.text


def test_a_checkout_below_the_threshold_tops_the_wallet_up_after_the_commit(served):
    """A shopper saves a card during Add Money and sets an automatic top-up;
    a wallet checkout takes the balance below the threshold; once it has
    committed, the server's cron charges the saved card and credits the
    wallet, and the shopper is emailed."""
    demo = served.admin("payment.provider", "search", [("code", "=", "demo")])
    served.admin("payment.provider", "write", demo, {"allow_tokenization": True})
    http = served.session("shopper", "shopper")
    [shopper] = served.admin(
        "res.users", "search_read", [("login", "=", "shopper")], ["partner_id"]
    )
    partner_id = shopper["partner_id"][0]

    def available():  # wallet_balance is what the wallet can spend
        return served.admin("res.partner", "read", [partner_id], ["wallet_balance"])[0][
            "wallet_balance"
        ]

    token_id = _add_money_saving_the_card(served, http, 20.0)
    before = available()
    _set_automatic_topup(
        served, http, enabled="1", threshold=f"{before - 1:.2f}", amount="50", token_id=token_id
    )
    processing = _pay_with_the_wallet(served, http, 7.0)
    assert _order_of(served, processing["reference"])["state"] == "sale"

    [charge] = _wait_for(
        "the automatic top-up",
        lambda: served.admin(
            "payment.transaction",
            "search_read",
            [("wallet_topup_rule_id", "!=", False), ("state", "=", "done")],
            ["id", "amount", "operation", "token_id"],
        ),
    )
    assert (charge["amount"], charge["operation"], charge["token_id"][0]) == (
        50.0,
        "offline",
        token_id,
    )
    assert abs(available() - (before - 7 + 50)) < 0.001
    [entry] = served.admin(
        "wallet.transaction", "search_read", [("payment_transaction_id", "=", charge["id"])], ["id"]
    )
    [email] = _wait_for(
        "the top-up's email",
        lambda: served.admin(
            "mail.mail",
            "search_read",
            [("model", "=", "wallet.transaction"), ("res_id", "=", entry["id"])],
            ["subject"],
        ),
    )
    assert "added to your wallet" in email["subject"]
    _set_automatic_topup(served, http, enabled="", threshold="", amount="", token_id=token_id)
