"""Wallet ledger benchmark: balance read and debit cost versus history length.

Run inside `odoo shell` (scripts/bench.sh does it).  For each history size a
new customer gets that many done entries by bulk SQL, then the script measures
the SQL queries and the median time of reading `wallet_balance` and of one
debit (posted to the books).  Everything is rolled back at the end.
"""

import statistics
import time

from odoo.tools import SQL

SIZES = (100, 10_000, 1_000_000)
RUNS = 15


def bulk_history(env, partner, size):
    """`size` done credits of 1.00, and the aggregate that matches them."""
    company = env.company
    env.cr.execute(
        SQL(
            """
            INSERT INTO wallet_transaction (name, partner_id, company_id, currency_id, date,
                                            amount, credit, debit, direction, kind, state,
                                            description)
            SELECT 'BENCH/' || %(partner)s || '/' || n, %(partner)s, %(company)s, %(currency)s,
                   NOW() AT TIME ZONE 'UTC' - n * INTERVAL '1 minute',
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


def measure(env, action):
    """Median seconds and query count of `action`, each run rolled back."""
    timings, queries = [], []
    for _ in range(RUNS + 1):  # the first run warms caches and is dropped
        env.invalidate_all()
        with env.cr.savepoint(flush=False) as savepoint:
            before, start = env.cr.sql_log_count, time.perf_counter()
            action()
            env.flush_all()
            elapsed, count = time.perf_counter() - start, env.cr.sql_log_count - before
            savepoint.rollback()
        timings.append(elapsed)
        queries.append(count)
    return statistics.median(timings[1:]), set(queries[1:])


def main(env):
    env.company._wallet_setup_accounting()
    ledger = env["wallet.transaction"]
    rows = []
    for size in (10, *SIZES):  # the first, small size warms the registry caches
        partner = env["res.partner"].create({"name": f"Bench customer {size}"})
        started = time.perf_counter()
        bulk_history(env, partner, size)
        setup = time.perf_counter() - started
        read_time, read_queries = measure(env, lambda p=partner: p.wallet_balance)
        debit_time, debit_queries = measure(
            env, lambda p=partner: ledger._debit(p, 0.01, description="bench")
        )
        env.invalidate_all()
        assert partner.wallet_balance == size, partner.wallet_balance
        if size in SIZES:
            rows.append((size, setup, read_queries, read_time, debit_queries, debit_time))
    print(
        f"{'history':>10} | {'setup s':>8} | {'read queries':>12} | {'read median':>11}"
        f" | {'debit queries':>13} | {'debit median':>12}"
    )
    for size, setup, rq, rt, dq, dt in rows:
        print(
            f"{size:>10,} | {setup:>8.2f} | {'/'.join(map(str, sorted(rq))):>12} |"
            f" {rt * 1000:>8.3f} ms | {'/'.join(map(str, sorted(dq))):>13} | {dt * 1000:>9.2f} ms"
        )
    small, large = rows[0], rows[-1]
    print(
        f"time at {large[0]:,} / time at {small[0]:,}: read x{large[3] / small[3]:.2f},"
        f" debit x{large[5] / small[5]:.2f}"
    )
    env.cr.rollback()


main(env)  # noqa: F821 - `env` is given by odoo shell
