import threading
import time

from psycopg2.errors import SerializationFailure

from odoo import api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase
from odoo.tools import mute_logger

from .common import committed_wallet


class TestConcurrentDebits(TransactionCase):
    """Two workers debit one wallet at the same time, each from its own database
    cursor, as two checkouts would.  The data must be committed for the second
    cursor to see it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_id = committed_wallet(cls.registry, "Racing Customer", 100.0)

    def debit_in_own_cursor(self, barrier, outcomes):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            partner = env["res.partner"].browse(self.partner_id)
            barrier.wait()
            try:
                env["wallet.transaction"]._debit(partner, 70.0, description="checkout")
                time.sleep(0.5)  # hold the lock while the other worker tries
                # Each worker is its own request: it must commit to be seen.
                cr.commit()  # pylint: disable=invalid-commit
                outcomes.append("debited")
            except (UserError, SerializationFailure) as error:
                cr.rollback()
                outcomes.append(type(error).__name__)

    @mute_logger("odoo.sql_db")
    def test_two_debits_exceeding_the_balance_never_both_succeed(self):
        barrier = threading.Barrier(2, timeout=5)
        outcomes = []
        workers = [
            threading.Thread(target=self.debit_in_own_cursor, args=(barrier, outcomes))
            for _ in range(2)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        self.assertEqual(outcomes.count("debited"), 1, outcomes)
        self.assertEqual(len(outcomes), 2, outcomes)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            partner = env["res.partner"].browse(self.partner_id)
            self.assertEqual(partner.wallet_balance, 30.0)
            debits = env["wallet.transaction"].search(
                [("partner_id", "=", partner.id), ("direction", "=", "debit")]
            )
            self.assertEqual(len(debits), 1)
            self.assertEqual(env["wallet.transaction"]._check_ledger(), [])
