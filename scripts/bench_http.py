"""End-to-end and load benchmark of the served product (the second half of make bench).

Usage: bench_http.py URL DATABASE SERVER_LOG CUSTOMERS ROUNDS WORKERS

scripts/bench.sh starts a real multi-worker server on a throw-away database and
passes its URL, its log (read for the query count of each request) and the
sizes.  Everything goes through the routes a browser uses, and each figure is
measured next to the same job done with the demo provider, in the same run:

- one checkout, from the transaction route until the order is confirmed and
  invoiced (Automatic Invoice on), paid with the wallet vs with the demo card;
- one unpaid invoice paid from its portal page, the same way;
- CUSTOMERS shoppers checking out at the same time, ROUNDS times each: wallet
  checkouts per second vs demo checkouts per second, with the errors shoppers
  saw, the wallets that lost or gained money they should not have, and the
  ledger check afterwards;
- a hot wallet: one customer's payments at the same time (double clicks, tabs),
  funded for half of them: how many went through, and how long the slowest
  waited for its retry, vs one payment alone;
- the queries of /shop/payment: with the wallet on vs the same page with the
  wallet turned off on the website, which runs none of the wallet's code: the
  page as stock Odoo serves it.

Prints rows of the table that bench.sh heads: figure | wallet | anchor | ratio.
"""

import functools
import re
import statistics
import sys
import threading
import time
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

import requests

URL, DB, SERVER_LOG = sys.argv[1], sys.argv[2], sys.argv[3]
CUSTOMERS, ROUNDS, WORKERS = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
PRICE = 10.0
RUN = int(time.time())  # a database may be benchmarked more than once
PASSWORD = "bench-shopper"


@functools.cache
def admin_uid():
    """Authenticating hashes the password (most of a second): once is enough."""
    return xmlrpc.client.ServerProxy(f"{URL}/xmlrpc/2/common").authenticate(
        DB, "admin", "admin", {}
    )


def rpc(model, method, *args, **kwargs):
    uid = admin_uid()
    proxy = xmlrpc.client.ServerProxy(f"{URL}/xmlrpc/2/object", allow_none=True)
    return proxy.execute_kw(DB, uid, "admin", model, method, list(args), kwargs)


def row(figure, wallet, anchor, unit="", ratio=None):
    ratio = ratio if ratio is not None else (f"x{wallet / anchor:.2f}" if anchor else "-")
    print(f"ROW|{figure}|{wallet:.2f}{unit}|{anchor:.2f}{unit}|{ratio}", flush=True)


def text_row(figure, wallet, anchor, verdict):
    print(f"ROW|{figure}|{wallet}|{anchor}|{verdict}", flush=True)


class Shopper:
    """A logged-in customer's browser session."""

    def __init__(self, login):
        self.http = requests.Session()
        page = self.http.get(f"{URL}/web/login", timeout=60).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        reply = self.http.post(
            f"{URL}/web/login",
            data={"login": login, "password": PASSWORD, "csrf_token": token},
            timeout=60,
        )
        reply.raise_for_status()

    def json(self, route, **params):
        reply = self.http.post(
            f"{URL}{route}",
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=300,
        )
        reply.raise_for_status()
        body = reply.json()
        if "error" in body:
            raise RuntimeError(body["error"]["data"]["message"])
        return body.get("result")

    def payment_page(self):
        page = self.http.get(f"{URL}/shop/payment", timeout=300).text
        return {
            "route": re.search(r'data-transaction-route="([^"]+)"', page).group(1),
            "access_token": re.search(r'data-access-token="([^"]+)"', page).group(1),
            "csrf": re.search(r'csrf_token: "([^"]+)"', page).group(1),
        }

    def pay(self, route, provider, landing_route, csrf, **extra):
        """The payment form's Pay button, then its post-processing."""
        processing = self.json(
            route,
            provider_id=provider["id"],
            payment_method_id=provider["payment_method_ids"][0],
            token_id=None,
            flow="redirect" if provider["code"] == "wallet" else "direct",
            tokenization_requested=False,
            landing_route=landing_route,
            is_validation=False,
            **extra,
        )
        if provider["code"] == "wallet":
            self.http.post(
                f"{URL}/payment/wallet/process",
                data={"reference": processing["reference"], "csrf_token": csrf},
                allow_redirects=False,
                timeout=300,
            )
        else:
            self.json(
                "/payment/demo/simulate_payment",
                reference=processing["reference"],
                payment_details="4242",
                simulated_state="done",
            )
        return self.json("/payment/status/poll")["state"]

    def checkout(self, product_id, provider):
        """Cart, payment page, then the timed part: from the transaction route
        until the order is confirmed and invoiced."""
        self.json("/shop/cart/update_json", product_id=product_id, add_qty=1)
        form = self.payment_page()
        started = time.perf_counter()
        state = self.pay(
            form["route"],
            provider,
            "/shop/payment/validate",
            amount=PRICE,
            access_token=form["access_token"],
            csrf=form["csrf"],
        )
        elapsed = time.perf_counter() - started
        self.http.get(f"{URL}/shop/payment/validate", timeout=300)  # ends the cart
        return elapsed, state

    def pay_invoice(self, invoice, provider):
        page = self.http.get(f"{URL}{invoice['access_url']}", timeout=300).text
        csrf = re.search(r'csrf_token: "([^"]+)"', page).group(1)
        started = time.perf_counter()
        state = self.pay(
            f"/invoice/transaction/{invoice['id']}",
            provider,
            invoice["access_url"],
            amount=PRICE,
            access_token=invoice["access_token"],
            csrf=csrf,
        )
        return time.perf_counter() - started, state


def setup():
    """Customers with funded wallets, a product, the demo provider, Automatic Invoice."""
    rpc("ir.config_parameter", "set_param", "sale.automatic_invoice", "True")
    demo = rpc("payment.provider", "search", [("code", "=", "demo")])
    rpc("payment.provider", "write", demo, {"state": "test", "is_published": True})
    providers = {
        provider["code"]: provider
        for provider in rpc(
            "payment.provider",
            "search_read",
            [("code", "in", ("wallet", "demo"))],
            ["code", "payment_method_ids"],
        )
    }
    product_id = rpc(
        "product.product",
        "create",
        {
            "name": "Bench item",
            "type": "service",
            "list_price": PRICE,
            "taxes_id": [(6, 0, [])],
            "is_published": True,
            "sale_ok": True,
        },
    )
    country = rpc("res.country", "search", [("code", "=", "US")])[0]
    state = rpc("res.country.state", "search", [("country_id", "=", country)], limit=1)[0]
    expense = rpc("account.account", "search", [("account_type", "=", "expense")], limit=1)[0]
    logins = [f"bench{RUN}.{index}@example.com" for index in range(CUSTOMERS + 1)]
    partners = {}
    for login in logins:
        partner_id = rpc(
            "res.partner",
            "create",
            {
                "name": login,
                "email": login,
                "phone": "+1 555 0100",
                "street": "1 Bench Road",
                "city": "Benchville",
                "zip": "10001",
                "country_id": country,
                "state_id": state,
            },
        )
        rpc(
            "res.users",
            "create",
            {
                "name": login,
                "login": login,
                "password": PASSWORD,
                "partner_id": partner_id,
                "groups_id": [(6, 0, rpc("res.groups", "search", [("name", "=", "Portal")]))],
            },
        )
        partners[login] = partner_id
    return providers, product_id, logins, partners, expense


def fund(partner_id, amount, expense):
    wizard = rpc(
        "wallet.adjustment.wizard",
        "create",
        {
            "partner_id": partner_id,
            "direction": "credit",
            "amount": amount,
            "reason": "bench funds",
            "counterpart_account_id": expense,
        },
    )
    rpc("wallet.adjustment.wizard", "action_apply", [wizard])


def balance(partner_id):
    return rpc("res.partner", "read", [partner_id], ["wallet_balance"])[0]["wallet_balance"]


def unpaid_invoice(partner_id):
    invoice_id = rpc(
        "account.move",
        "create",
        {
            "move_type": "out_invoice",
            "partner_id": partner_id,
            "invoice_line_ids": [(0, 0, {"name": "Bench", "price_unit": PRICE, "tax_ids": []})],
        },
    )
    rpc("account.move", "action_post", [invoice_id])
    url = rpc("account.move", "get_portal_url", [invoice_id])
    return {
        "id": invoice_id,
        "access_url": url,
        "access_token": url.split("access_token=")[1].split("&")[0],
    }


def load(shoppers, product_id, provider):
    """Every shopper checks out ROUNDS times, all at once: checkouts/s and errors."""
    errors = []

    def run(shopper):
        for _round in range(ROUNDS):
            try:
                _elapsed, state = shopper.checkout(product_id, provider)
                if state != "done":
                    errors.append(state)
            except Exception as error:
                errors.append(str(error))

    started = time.perf_counter()
    with ThreadPoolExecutor(len(shoppers)) as pool:
        list(pool.map(run, shoppers))
    return len(shoppers) * ROUNDS / (time.perf_counter() - started), errors


def queries_of(path):
    """The query counts Odoo logged for the requests of `path`, oldest first."""
    pattern = re.compile(rf'"(?:GET|POST) {re.escape(path)}[ ?][^"]*" \d+ - (\d+) ')
    with open(SERVER_LOG) as log:
        return [int(match.group(1)) for line in log if (match := pattern.search(line))]


def bench_alone(solo, partner_id, product_id, wallet, demo):
    """One checkout, then one invoice, alone: wallet vs demo.  With more than
    one round, as many rounds as workers warm them up first and are not
    counted: each flow's first request in a worker fills that worker's caches
    (a cold invoice email costs 200 more queries), and requests land on any
    worker."""
    for kind in ("checkout", "invoice"):
        timings = {"wallet": [], "demo": []}
        for warm_up in [True] * WORKERS * (ROUNDS > 1) + [False] * ROUNDS:
            for code, provider in (("wallet", wallet), ("demo", demo)):
                if kind == "checkout":
                    elapsed, state = solo.checkout(product_id, provider)
                else:
                    elapsed, state = solo.pay_invoice(unpaid_invoice(partner_id), provider)
                assert state == "done", (kind, code, state)
                if not warm_up:
                    timings[code].append(elapsed * 1000)
        row(
            f"one {kind} end to end (ms): wallet vs demo card",
            statistics.median(timings["wallet"]),
            statistics.median(timings["demo"]),
        )


def promotions_since(partner_id, last_lot):
    """The promotional credit a customer earned since lot ``last_lot`` (the
    cashback of a database with cashback rules, the demo's say)."""
    lots = rpc(
        "wallet.lot",
        "search_read",
        [("id", ">", last_lot), ("partner_id", "=", partner_id)],
        ["amount", "clawed_back"],
    )
    return sum(lot["amount"] - lot["clawed_back"] for lot in lots)


def bench_load(shoppers, partner_ids, product_id, wallet, demo):
    """Many shoppers at once: throughput, errors, and every wallet to the cent."""
    before = [balance(partner_id) for partner_id in partner_ids]
    last_lot = max(rpc("wallet.lot", "search", [], order="id desc", limit=1), default=0)
    wallet_rate, wallet_errors = load(shoppers, product_id, wallet)
    demo_rate, demo_errors = load(shoppers, product_id, demo)
    row(f"{len(shoppers)} shoppers at once: checkouts/s, wallet vs demo", wallet_rate, demo_rate)
    wrong = [
        partner_id
        for partner_id, was in zip(partner_ids, before, strict=True)
        if abs(
            balance(partner_id) - (was - PRICE * ROUNDS + promotions_since(partner_id, last_lot))
        )
        > 0.001
    ]
    text_row(
        "errors shoppers saw, wallets off by any cent",
        f"{len(wallet_errors)} errors, {len(wrong)} wallets",
        f"{len(demo_errors)} errors (demo)",
        "ok" if not (wallet_errors or wrong or demo_errors) else "FAILED",
    )


def bench_hot(login, partner_id, wallet, expense):
    """One customer's payments of invoices at once (tabs, double clicks), funded
    for half of them, after one payment alone (the anchor)."""
    hot = [Shopper(login) for _tab in range(4)]
    fund(partner_id, PRICE * (len(hot) // 2 + 1), expense)
    alone, _state = hot[0].pay_invoice(unpaid_invoice(partner_id), wallet)
    invoices = [unpaid_invoice(partner_id) for _tab in hot]
    barrier = threading.Barrier(len(hot))
    outcomes = []

    def tab(shopper, invoice):
        barrier.wait()
        try:
            outcomes.append(shopper.pay_invoice(invoice, wallet)[::-1])
        except Exception as error:
            outcomes.append((f"exception: {error}", 0.0))

    threads = [threading.Thread(target=tab, args=pair) for pair in zip(hot, invoices, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = sum(state == "done" for state, _elapsed in outcomes)
    failed_cleanly = sum(state == "error" for state, _elapsed in outcomes)
    text_row(
        f"hot wallet: {len(hot)} payments at once, funded for {len(hot) // 2}",
        f"{done} paid, {failed_cleanly} refused cleanly",
        f"balance after: {balance(partner_id):.2f}",
        "ok" if done == len(hot) // 2 and done + failed_cleanly == len(hot) else "FAILED",
    )
    row(
        "hot wallet: slowest payment vs one alone (ms)",
        max(elapsed for _state, elapsed in outcomes) * 1000,
        alone * 1000,
    )


def bench_queries(solo, product_id):
    """The payment step's queries: wallet on (toggle off) vs wallet off."""
    solo.json("/shop/cart/update_json", product_id=product_id, add_qty=1)
    website = rpc("website", "search", [], limit=1)
    counts = {}
    for enabled in (True, False):
        rpc("website", "write", website, {"wallet_enabled": enabled})
        before = len(queries_of("/shop/payment"))
        # Each worker recompiles its caches on its first request after the
        # write: the fewest queries of a few requests is the warm page.
        for _request in range(3 * WORKERS):
            solo.http.get(f"{URL}/shop/payment", timeout=300)
        time.sleep(0.5)  # the log line is written after the response
        counts[enabled] = min(queries_of("/shop/payment")[before:])
    rpc("website", "write", website, {"wallet_enabled": True})
    row(
        "/shop/payment queries: wallet on vs off (stock Odoo's page)",
        counts[True],
        counts[False],
        ratio=f"+{counts[True] - counts[False]}",
    )


def main():
    providers, product_id, logins, partners, expense = setup()
    wallet, demo = providers["wallet"], providers["demo"]
    customers = logins[:CUSTOMERS]
    for login in customers:
        fund(partners[login], PRICE * ROUNDS * 3 + 100, expense)
    shoppers = [Shopper(login) for login in customers]
    bench_alone(shoppers[0], partners[customers[0]], product_id, wallet, demo)
    bench_load(shoppers, [partners[login] for login in customers], product_id, wallet, demo)
    bench_hot(logins[CUSTOMERS], partners[logins[CUSTOMERS]], wallet, expense)
    check = rpc("wallet.transaction", "action_check_ledger")
    text_row(
        "ledger check afterwards",
        check["params"]["type"],
        "success",
        "ok" if check["params"]["type"] == "success" else "FAILED",
    )
    bench_queries(shoppers[0], product_id)


main()
