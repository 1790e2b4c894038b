"""The run command's server works for a new user and for a shopper."""


def test_login_and_shop_pages_are_served(served):
    http = served.session()
    for route in ("/web/login", "/shop"):
        assert http.get(f"{served.url}{route}", timeout=60).status_code == 200, route


def test_demo_shopper_buys_a_product_with_the_demo_provider(served):
    """The whole purchase, including the confirmation email and its PDF."""
    product_id = served.admin(
        "product.product",
        "create",
        {
            "name": "Served smoke gift card",
            "type": "service",
            "list_price": 25.0,
            "is_published": True,
            "sale_ok": True,
        },
    )
    http = served.session("shopper", "shopper")
    served.jsonrpc(http, "/shop/cart/update_json", product_id=product_id, add_qty=1)
    assert http.get(f"{served.url}/shop/checkout", timeout=60).status_code == 200
    payment_page = http.get(f"{served.url}/shop/payment", timeout=60)
    assert payment_page.status_code == 200
    assert "o_payment_form" in payment_page.text

    shopper = served.admin("res.users", "search_read", [("login", "=", "shopper")], ["partner_id"])
    order = served.admin(
        "sale.order",
        "search_read",
        [("partner_id", "=", shopper[0]["partner_id"][0]), ("state", "=", "draft")],
        ["amount_total", "access_token"],
        order="id desc",
        limit=1,
    )[0]
    provider = served.admin(
        "payment.provider", "search_read", [("code", "=", "demo")], ["payment_method_ids"]
    )[0]
    processing = served.jsonrpc(
        http,
        f"/shop/payment/transaction/{order['id']}",
        provider_id=provider["id"],
        payment_method_id=provider["payment_method_ids"][0],
        token_id=None,
        amount=order["amount_total"],
        flow="direct",
        tokenization_requested=False,
        landing_route="/shop/payment/validate",
        is_validation=False,
        access_token=order["access_token"],
    )
    served.jsonrpc(
        http,
        "/payment/demo/simulate_payment",
        reference=processing["reference"],
        payment_details="4242",
        simulated_state="done",
    )
    status = served.jsonrpc(http, "/payment/status/poll")
    assert status["state"] == "done"

    [confirmed] = served.admin("sale.order", "read", [order["id"]], ["state"])
    assert confirmed["state"] == "sale"
