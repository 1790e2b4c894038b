import threading
import time

from psycopg2.errors import SerializationFailure

from odoo import api
from odoo.exceptions import UserError
from odoo.tools import mute_logger

from .common import ConcurrentWalletCase, committed_tabs, in_parallel, process_wallet_payment


class TestConcurrentDebits(ConcurrentWalletCase):
    """Two workers debit one wallet at the same time, each from its own database
    cursor, as two checkouts would.  The data must be committed for the second
    cursor to see it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_id = cls.committed_wallet("Racing Customer", 100.0)
        cls.hot_partner_id = cls.committed_wallet("Two Tabs Customer", 100.0)

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

    @mute_logger("odoo.sql_db")
    def test_a_payment_waiting_for_the_wallet_locks_it_without_a_retry_pause(self):
        """The wallet route's lock, once another tab's payment of the wallet has
        committed under it: the request starts its transaction again and
        locks the wallet as the other payment left it, instead of failing
        into Odoo's retry pause."""
        with self.registry.cursor() as waiting, self.registry.cursor() as paying:
            request_env = api.Environment(waiting, api.SUPERUSER_ID, {})
            partner = request_env["res.partner"].browse(self.hot_partner_id)
            company = request_env.company
            self.assertEqual(partner.name, "Two Tabs Customer")  # the snapshot is taken
            other_env = api.Environment(paying, api.SUPERUSER_ID, {})
            other_env["wallet.transaction"]._debit(
                other_env["res.partner"].browse(self.hot_partner_id), 10.0, description="tab 1"
            )
            paying.commit()  # pylint: disable=invalid-commit

            Wallet = request_env["wallet.balance"]
            with self.assertRaises(SerializationFailure), waiting.savepoint(flush=False):
                Wallet._lock(partner, company)  # what the route did before
            wallet = Wallet._lock_before_any_write(partner, company)
            self.assertEqual(wallet.balance, 90.0, "it sees the committed payment")
            request_env["wallet.transaction"]._debit(partner, 10.0, description="tab 2")
            waiting.commit()  # pylint: disable=invalid-commit
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            self.assertEqual(env["res.partner"].browse(self.hot_partner_id).wallet_balance, 80.0)
            self.assertEqual(env["wallet.transaction"]._check_ledger(), [])


class TestConcurrentRefunds(ConcurrentWalletCase):
    """Two users refund one wallet payment at the same moment, each in a
    database cursor of its own, as two browser tabs would: it is given back
    once.  The data must be committed for the second cursor to see it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_id = cls.committed_wallet("Refund Race Customer", 100.0)
        _orders, (cls.tx_id,) = committed_tabs(cls.registry, cls.partner_id, 60.0, 1, 1)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            process_wallet_payment(env, cls.tx_id)
            env["payment.transaction"].browse(cls.tx_id)._post_process()

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_two_refunds_of_one_payment_at_once_give_it_back_once(self):
        def refund(env, _tab):
            try:
                env["payment.transaction"].browse(self.tx_id).action_refund(amount_to_refund=60.0)
            except UserError:
                env.cr.rollback()
                return "refused"
            return "refunded"

        outcomes = in_parallel(self.registry, refund, ["first tab", "second tab"])
        self.assertEqual(sorted(outcomes.values()), ["refunded", "refused"], outcomes)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            partner = env["res.partner"].browse(self.partner_id)
            self.assertEqual(partner.wallet_balance, 100.0)
            refunds = env["payment.transaction"].browse(self.tx_id).child_transaction_ids
            self.assertEqual(len(refunds), 1)
            self.assertEqual(env["wallet.transaction"]._check_ledger(), [])
