"""Wallet ledger benchmark, in one Odoo process (the first half of make bench).

Run inside `odoo shell` (scripts/bench.sh does it, setting WALLET_BENCH_SIZES
and WALLET_BENCH_RUNS).  Each figure is measured next to its anchor in the same
process and the same database, as a median over RUNS runs, each rolled back:

- reading a balance and a history page, with a long history against a short one
  (they must cost the same: O(1) in the length of the history);
- one wallet debit with its posting, against core Odoo creating and posting an
  inbound `account.payment` (what every online payment costs), and against the
  physical floor, a bare SQL UPDATE of the wallet row;
- a debit drawing on three lots of promotional credit against a cash-only
  debit;
- the expiry cron expiring LOTS lots, against the ORM writing the same rows
  (the entries it records and the lots it closes);
- a debit that takes a wallet below its automatic top-up threshold (and its
  low-balance alert) against one that does not, and against a debit of a
  wallet with no rule.

Prints rows of the table that bench.sh heads: figure | wallet | anchor | ratio.
"""

import datetime
import os
import statistics
import time

from odoo.tools import SQL

SIZES = tuple(int(size) for size in os.environ.get("WALLET_BENCH_SIZES", "100,1000000").split(","))
RUNS = int(os.environ.get("WALLET_BENCH_RUNS", "15"))
LOTS = int(os.environ.get("WALLET_BENCH_LOTS", "100000"))
LOTS_PER_CUSTOMER = 10


def bulk_history(env, partner, size):
    """`size` done credits of 1.00, and the aggregate that matches them."""
    company = env.company
    env.cr.execute(
        SQL(
            """
            INSERT INTO wallet_transaction (name, partner_id, company_id, currency_id, date,
                                            accounting_date, amount, credit, debit, direction,
                                            kind, state, description)
            SELECT 'BENCH/' || %(partner)s || '/' || n, %(partner)s, %(company)s, %(currency)s,
                   NOW() AT TIME ZONE 'UTC' - n * INTERVAL '1 minute',
                   (NOW() AT TIME ZONE 'UTC' - n * INTERVAL '1 minute')::date,
                   1.0, 1.0, 0.0, 'credit', 'topup', 'done', 'bench'
              FROM generate_series(1, %(size)s) AS n
            """,
            partner=partner.id,
            company=company.id,
            currency=company.currency_id.id,
            size=size,
        )
    )
    wallet = env["wallet.balance"]._lock(partner, company)
    wallet._add(balance=float(size))
    env.cr.execute("ANALYZE wallet_transaction")


def measure(env, *actions, runs=None, warm_up=1):
    """Median seconds and query counts of each action, each run rolled back.
    The actions take turns, run after run, so that a slower spell of the
    machine weighs on the figure and its anchor alike.  The first ``warm_up``
    runs fill the caches and are dropped."""
    timings = [[] for _action in actions]
    queries = [set() for _action in actions]
    for run in range((runs or RUNS) + warm_up):
        for index, action in enumerate(actions):
            env.invalidate_all()
            with env.cr.savepoint(flush=False) as savepoint:
                before, start = env.cr.sql_log_count, time.perf_counter()
                action()
                env.flush_all()
                elapsed, count = time.perf_counter() - start, env.cr.sql_log_count - before
                savepoint.rollback()
            if run >= warm_up:
                timings[index].append(elapsed)
                queries[index].add(count)
    return [
        (statistics.median(times), "/".join(map(str, sorted(counts))))
        for times, counts in zip(timings, queries, strict=True)
    ]


def row(figure, wallet, anchor, unit="ms"):
    """One line of the table: the wallet's figure, its anchor and their ratio."""
    (value, queries), (anchor_value, anchor_queries) = wallet, anchor
    print(
        f"ROW|{figure}|{value * 1000:.2f} {unit} ({queries} q)"
        f"|{anchor_value * 1000:.2f} {unit} ({anchor_queries} q)|x{value / anchor_value:.2f}"
    )


def history_page(env, partner, page):
    """What the history route reads for a page: its entries and the running
    balance at its top."""
    ledger = env["wallet.transaction"]
    domain = [("partner_id", "=", partner.id), ("company_id", "=", env.company.id)]
    offset = (page - 1) * 10
    entries = ledger.search(domain, limit=10, offset=offset)
    top = partner.wallet_balance - ledger._signed_sum_of_newest(domain, offset)
    return entries._portal_rows(top)


def main(env):
    env.company._wallet_setup_accounting()
    ledger = env["wallet.transaction"].sudo()
    bank = env["account.journal"].search(
        [
            ("type", "=", "bank"),
            ("company_id", "=", env.company.id),
            ("id", "!=", env.company.wallet_journal_id.id),
        ],
        limit=1,
    )
    customers = {}
    for size in (10, *SIZES):  # the first, small size warms the registry caches
        partner = env["res.partner"].create({"name": f"Bench customer {size}"})
        bulk_history(env, partner, size)
        customers[size] = partner
    short, long_ = customers[SIZES[0]], customers[SIZES[-1]]
    measure(env, lambda: ledger._debit(customers[10], 0.01, description="warm up"))

    row(
        f"balance read, {SIZES[-1]:,} entries vs {SIZES[0]:,}",
        *measure(env, lambda: long_.wallet_balance, lambda: short.wallet_balance),
    )
    row(
        f"history page 2, {SIZES[-1]:,} entries vs {SIZES[0]:,}",
        *measure(env, lambda: history_page(env, long_, 2), lambda: history_page(env, short, 2)),
    )
    row(
        f"debit, {SIZES[-1]:,} entries vs {SIZES[0]:,}",
        *measure(
            env,
            lambda: ledger._debit(long_, 0.01, description="bench"),
            lambda: ledger._debit(short, 0.01, description="bench"),
        ),
    )

    def core_payment():
        payment = (
            env["account.payment"]
            .sudo()
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": short.id,
                    "amount": 0.01,
                    "journal_id": bank.id,
                }
            )
        )
        payment.action_post()

    wallet_id = env["wallet.balance"]._lock(short, env.company).id
    debit, core, floor = measure(
        env,
        lambda: ledger._debit(short, 0.01, description="bench"),
        core_payment,
        lambda: env.cr.execute(
            SQL("UPDATE wallet_balance SET balance = balance - 0.01 WHERE id = %s", wallet_id)
        ),
    )
    row("debit with its posting vs core payment create+post", debit, core)
    row("debit with its posting vs bare SQL UPDATE of the wallet row", debit, floor)
    three_lots(env, ledger, short)
    threshold_crossing(env, ledger, bank)
    roll_forward(env)
    expiry(env)
    env.cr.rollback()


def three_lots(env, ledger, cash_customer):
    """A payment that draws on three lots of promotional credit (each one
    allocated and moved) against the same payment from cash."""
    customer = env["res.partner"].create({"name": "Bench promotional customer"})
    for days in (30, 10, 20):
        ledger._credit(
            customer,
            0.01,
            kind="grant",
            description="bench",
            lot_values={"expiry_date": datetime.date.today() + datetime.timedelta(days=days)},
        )
    promo, cash = measure(
        env,
        lambda: ledger._debit(customer, 0.03, funds="any", description="bench"),
        lambda: ledger._debit(cash_customer, 0.03, description="bench"),
    )
    assert promo[1] != cash[1], "the promotional debit drew on no lot"
    row("debit drawing on 3 promotional lots vs a cash-only debit", promo, cash)


def threshold_crossing(env, ledger, bank):
    """A debit that crosses its wallet's automatic top-up threshold and
    low-balance alert (it looks the rule up, queues the alert and asks for the
    charging cron after the commit) against the same debit staying above
    them, and against the debit of a wallet with no rule at all."""
    demo = env.ref("payment.payment_provider_demo")
    demo.write({"state": "test", "allow_tokenization": True})
    wallets = {}
    for name in ("crossing", "no rule"):
        customer = env["res.partner"].create({"name": f"Bench auto top-up {name}"})
        ledger._credit(customer, 100.0, kind="topup", journal=bank, description="bench")
        wallets[name] = customer
    customer = wallets["crossing"]
    token = env["payment.token"].create(
        {
            "provider_id": demo.id,
            "payment_method_id": demo.payment_method_ids[:1].id,
            "partner_id": customer.id,
            "provider_ref": "bench",
            "payment_details": "4242",
            "demo_simulated_state": "done",
        }
    )
    env["wallet.topup.rule"].create(
        {
            "partner_id": customer.id,
            "company_id": env.company.id,
            "enabled": True,
            "threshold": 50.0,
            "amount": 50.0,
            "token_id": token.id,
            "alert_threshold": 50.0,
        }
    )
    crossing, above, no_rule = measure(
        env,
        lambda: ledger._debit(customer, 60.0, description="bench"),
        lambda: ledger._debit(customer, 10.0, description="bench"),
        lambda: ledger._debit(wallets["no rule"], 60.0, description="bench"),
    )
    row("debit crossing its auto top-up threshold vs one staying above", crossing, above)
    row("debit of a wallet with an auto top-up vs one without", above, no_rule)


def expired_lots(env, count):
    """``count`` lots of 1.00 that expired yesterday, ``LOTS_PER_CUSTOMER`` a
    customer, each with its grant and the aggregate that matches them."""
    company = env.company
    partners = env["res.partner"].create(
        [{"name": f"Bench lots {index}"} for index in range(count // LOTS_PER_CUSTOMER)]
    )
    env.cr.execute(
        SQL(
            """
            WITH grants AS (
                INSERT INTO wallet_transaction (name, partner_id, company_id, currency_id, date,
                                                accounting_date, amount, promo_amount, fund,
                                                credit, debit, direction, kind, state, description)
                SELECT 'BENCH/LOT/' || partner.id || '/' || n, partner.id, %(company)s,
                       %(currency)s, NOW() AT TIME ZONE 'UTC', CURRENT_DATE, 1.0, 1.0, 'promo',
                       1.0, 0.0, 'credit', 'grant', 'done', 'bench'
                  FROM unnest(%(partners)s) AS partner(id), generate_series(1, %(per)s) AS n
             RETURNING id, name, partner_id
            )
            INSERT INTO wallet_lot (name, partner_id, company_id, source, entry_id, amount,
                                    remaining, held, clawed_back, expiry_date, state)
            SELECT name, partner_id, %(company)s, 'grant', id, 1.0, 1.0, 0.0, 0.0,
                   CURRENT_DATE - 1, 'open'
              FROM grants
            """,
            company=company.id,
            currency=company.currency_id.id,
            partners=partners.ids,
            per=LOTS_PER_CUSTOMER,
        )
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO wallet_balance (partner_id, company_id, balance, pending, held,
                                        promo_balance, promo_held)
            SELECT id, %(company)s, %(per)s, 0, 0, %(per)s, 0 FROM unnest(%(partners)s) AS id
            """,
            company=company.id,
            per=LOTS_PER_CUSTOMER,
            partners=partners.ids,
        )
    )
    env.cr.execute("ANALYZE wallet_lot")
    return env["wallet.lot"].search([("partner_id", "in", partners.ids)])


def expiry(env):
    """The expiry cron, run until nothing is left, against the ORM writing
    what it writes: an expiry entry with its allocation for each lot, and the
    lot closed."""
    lots = expired_lots(env, LOTS)
    Lot = env["wallet.lot"]
    ledger = env["wallet.transaction"].sudo()

    def cron():
        while Lot._cron_expire():
            pass

    def orm():
        ledger.create(
            [
                {
                    "name": f"ORM/{lot.id}",
                    "partner_id": lot.partner_id.id,
                    "company_id": lot.company_id.id,
                    "currency_id": lot.currency_id.id,
                    "state": "done",
                    "amount": lot.remaining,
                    "promo_amount": lot.remaining,
                    "direction": "debit",
                    "kind": "expiry",
                    "description": "bench",
                    "allocation_ids": [(0, 0, {"lot_id": lot.id, "amount": lot.remaining})],
                }
                for lot in lots
            ]
        )
        lots.write({"remaining": 0.0, "state": "expired"})

    # Once each: minutes of work, whose caches the rows before have filled.
    row(
        f"expiry of {len(lots):,} lots vs the ORM writing the same rows",
        *measure(env, cron, orm, runs=1, warm_up=0),
    )


def roll_forward(env):
    """The liability roll-forward over every entry of the company, against the
    ORM's own grouped sum of the same entries (what a pivot of Wallet
    Transactions by customer costs)."""
    today = datetime.date.today()
    wizard = env["wallet.liability.wizard"].create(
        {"date_from": today.replace(day=1), "date_to": today}
    )
    entries = env["wallet.transaction"].search_count([])
    row(
        f"liability roll-forward of all {entries:,} entries vs ORM read_group of them",
        *measure(
            env,
            wizard.action_compute,
            lambda: env["wallet.transaction"]._read_group(
                [], ["partner_id"], ["credit:sum", "debit:sum"]
            ),
        ),
    )


main(env)  # noqa: F821 - `env` is given by odoo shell
