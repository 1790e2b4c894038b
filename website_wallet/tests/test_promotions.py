"""Promotional credit: granted by the shop (the grant wizard, cashback rules,
top-up bonuses), kept in lots that expire, spent before or after cash,
given back to the fund it came from, clawed back when what earned it is
refunded, and booked on its own accounts.  After each test that moves
money, the ledger, the aggregate and the books agree for both funds."""

from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import (
    ConcurrentWalletCase,
    InEuros,
    RefundMixin,
    WalletCommon,
    WalletProviderMixin,
    in_parallel,
    purge_committed,
)


class PromotionsCommon(RefundMixin, WalletProviderMixin, WalletCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_refund_users()
        cls.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", False)
        cls.website = cls.env["website"].get_current_website()
        cls.website.wallet_promo_first = True
        cls.promo_account = cls.company.wallet_promo_account_id
        cls.promotions_account = cls.company.wallet_promotions_account_id

    def grant(self, amount, expiry_date=None, partners=None, user=None):
        """The Grant Wallet Credit wizard, opened from the customer list."""
        partners = partners or self.customer
        wizard = (
            self.env["wallet.grant.wizard"]
            .with_user(user or self.wallet_manager)
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create({"amount": amount, "reason": "Welcome gift", "expiry_date": expiry_date})
        )
        action = wizard.action_grant()
        return self.Ledger.browse(action["domain"][0][2])

    def promo(self, partner=None):
        wallet = self.wallet_of(partner)
        return wallet.promo_balance - wallet.promo_held

    def cash(self, partner=None):
        wallet = self.wallet_of(partner)
        return (wallet.balance - wallet.held) - (wallet.promo_balance - wallet.promo_held)

    def cashback_rule(self, percent=10.0, **values):
        return (
            self.env["wallet.cashback.rule"]
            .with_user(self.wallet_manager)
            .create(
                {
                    "name": f"{percent}% back",
                    "website_id": self.website.id,
                    "percent": percent,
                    **values,
                }
            )
        )

    def promotions_expense(self):
        """What Wallet Promotions cost so far (debit positive)."""
        lines = self.env["account.move.line"].search(
            [("account_id", "=", self.promotions_account.id), ("parent_state", "=", "posted")]
        )
        return sum(lines.mapped("balance"))


class TestGrants(PromotionsCommon):
    def test_a_grant_is_promotional_credit_booked_as_an_expense(self):
        entries = self.grant(25.0, expiry_date=date.today() + timedelta(days=30))
        self.assertEqual(len(entries), 1)
        self.assertEqual(
            (entries.kind, entries.fund, entries.promo_amount), ("grant", "promo", 25.0)
        )
        self.assertEqual(entries.lot_ids.remaining, 25.0)
        self.assertEqual((self.cash(), self.promo()), (0.0, 25.0))
        self.assertEqual(self.customer.wallet_balance, 25.0)
        self.assertEqual(self.customer.wallet_promo_balance, 25.0)
        self.assertEqual(self.customer.wallet_promo_expiry, date.today() + timedelta(days=30))
        self.assertAlmostEqual(self.promotions_expense(), 25.0)
        self.assertEqual(self.wallet_account_balance(), 0.0)
        self.assertBooksAgree()

    def test_a_grant_to_many_customers_credits_each_owner_once(self):
        entries = self.grant(5.0, partners=self.customer | self.contact | self.other_customer)
        self.assertEqual(
            sorted(entries.partner_id.ids), sorted((self.customer | self.other_customer).ids)
        )
        self.assertBooksAgree()
        self.assertBooksAgree(self.other_customer)

    def test_only_a_wallet_manager_grants_and_never_in_the_past(self):
        with self.assertRaises(AccessError):
            self.grant(5.0, user=self.wallet_user)
        with self.assertRaisesRegex(UserError, "expire before"):
            self.grant(5.0, expiry_date=date.today() - timedelta(days=1))
        self.assertEqual(self.promo(), 0.0)

    def test_a_withdrawal_never_takes_promotional_credit(self):
        self.topup(30.0)
        self.grant(20.0)
        wizard = self.env["wallet.withdrawal.wizard"].create(
            {
                "partner_id": self.customer.id,
                "amount": 40.0,
                "journal_id": self.bank_journal.id,
                "reason": "closing the account",
            }
        )
        self.assertEqual(wizard.wallet_cash_balance, 30.0)
        with self.assertRaisesRegex(UserError, "30.00 available, .*40.00 needed"):
            wizard.action_withdraw()
        wizard.amount = 30.0
        wizard.action_withdraw()
        self.assertEqual((self.cash(), self.promo()), (0.0, 20.0))
        self.assertBooksAgree()

    def test_a_reversed_grant_takes_back_its_lot_unless_spent(self):
        grant = self.grant(20.0)
        reversal = grant._reverse("granted by mistake")
        self.assertEqual((reversal.promo_amount, grant.lot_ids.remaining), (20.0, 0.0))
        self.assertAlmostEqual(self.promotions_expense(), 0.0)
        self.topup(50.0)
        spent = self.grant(20.0)
        self.paid_order(5.0)
        with self.assertRaisesRegex(UserError, "has been spent"):
            spent._reverse("granted by mistake")
        self.assertBooksAgree()


class TestSpending(PromotionsCommon):
    def test_promotional_credit_is_spent_first_soonest_expiry_first(self):
        self.topup(50.0)
        late = self.grant(10.0, expiry_date=date.today() + timedelta(days=60)).lot_ids
        soon = self.grant(10.0, expiry_date=date.today() + timedelta(days=5)).lot_ids
        never = self.grant(10.0).lot_ids
        _order, tx = self.paid_order(25.0)
        payment = tx.wallet_transaction_ids
        self.assertEqual(payment.promo_amount, 25.0)
        self.assertEqual((soon.remaining, late.remaining, never.remaining), (0.0, 0.0, 5.0))
        self.assertEqual(payment.allocation_ids.lot_id, soon | late | never)
        # Booked on the Customer Wallet, then moved from the Promotional Credit account.
        self.assertEqual(self.wallet_account_balance(), 50.0)
        self.assertEqual(self.wallet_account_balance(account=self.promo_account), 5.0)
        self.assertBooksAgree()

    def test_a_payment_partly_promotional_is_one_journal_entry(self):
        """Dr Customer Wallet (cash) + Dr Promotional Credit / Cr receivable,
        as core books an early-payment discount; its refund the reverse."""
        self.topup(30.0)
        self.grant(12.0)
        _order, tx = self.paid_order(40.0)
        move = tx.payment_id.move_id
        self.assertEqual(tx.wallet_transaction_ids.move_id, move)
        by_account = {
            account: sum(
                move.line_ids.filtered(lambda line, a=account: line.account_id == a).mapped(
                    "balance"
                )
            )
            for account in move.line_ids.account_id
        }
        self.assertEqual(by_account[self.company.wallet_account_id], 28.0)
        self.assertEqual(by_account[self.promo_account], 12.0)
        self.assertEqual(sum(b for b in by_account.values() if b < 0), -40.0)
        self.refund_wizard(tx.payment_id)
        refund = tx.child_transaction_ids.payment_id.move_id
        promo_line = refund.line_ids.filtered(lambda line: line.account_id == self.promo_account)
        self.assertEqual(promo_line.balance, -12.0)
        self.assertEqual((self.cash(), self.promo()), (30.0, 12.0))
        self.assertBooksAgree()

    def test_a_website_can_spend_cash_first(self):
        self.website.wallet_promo_first = False
        self.topup(20.0)
        lot = self.grant(10.0).lot_ids
        _order, tx = self.paid_order(25.0)
        self.assertEqual(tx.wallet_transaction_ids.promo_amount, 5.0)
        self.assertEqual((self.cash(), lot.remaining), (0.0, 5.0))
        self.assertBooksAgree()

    def test_a_refund_gives_promotional_credit_back_first_with_its_expiry(self):
        self.topup(50.0)
        expiry = date.today() + timedelta(days=30)
        self.grant(20.0, expiry_date=expiry)
        _order, tx = self.paid_order(50.0)  # 20 promotional, 30 cash
        self.refund_wizard(tx.payment_id, amount=25.0)
        refund = self.Ledger.search([("origin_transaction_id", "=", tx.id)]) or (
            tx.child_transaction_ids.wallet_transaction_ids
        )
        self.assertEqual(refund.promo_amount, 20.0)
        self.assertEqual(refund.lot_ids.expiry_date, expiry)
        self.assertEqual((self.cash(), self.promo()), (25.0, 20.0))
        self.refund_wizard(tx.payment_id, amount=25.0)
        self.assertEqual((self.cash(), self.promo()), (50.0, 20.0))
        self.assertBooksAgree()

    def test_credit_given_back_after_its_expiry_can_still_be_spent_for_a_week(self):
        self.topup(10.0)
        self.grant(10.0, expiry_date=date.today() + timedelta(days=1))
        _order, tx = self.paid_order(15.0)
        with freeze_time(fields.Datetime.now() + timedelta(days=3)):
            self.refund_wizard(tx.payment_id)
            lot = tx.child_transaction_ids.wallet_transaction_ids.lot_ids
            self.assertEqual(lot.expiry_date, date.today() + timedelta(days=7))
        self.assertBooksAgree()

    def card_for(self, order, amount):
        """The demo card's transaction for the rest of a split of ``order``."""
        return self.env["payment.transaction"].create(
            {
                "provider_id": self.demo.id,
                "payment_method_id": self.demo.payment_method_ids[:1].id,
                "amount": amount,
                "currency_id": self.currency.id,
                "partner_id": self.contact.id,
                "sale_order_ids": [fields.Command.set(order.ids)],
            }
        )

    def test_a_split_paid_partly_with_promotional_credit_then_cancelled(self):
        self.topup(10.0)
        self.grant(15.0)
        order = self.make_order(60.0)
        order.website_id = self.website
        card = self.card_for(order, 35.0)
        card._wallet_hold_part(order, 25.0)
        wallet = self.wallet_of()
        self.assertEqual((wallet.held, wallet.promo_held), (25.0, 15.0))
        self.simulate(card)
        card._post_process()
        self.assertEqual(order.state, "sale")
        self.assertEqual((self.cash(), self.promo()), (0.0, 0.0))
        order.with_context(disable_cancel_warning=True)._action_cancel()
        # The wallet's part comes back as it was paid: 15 promotional, 10 cash.
        self.assertEqual((self.cash(), self.promo()), (10.0, 15.0))
        self.assertBooksAgree()

    def test_a_split_released_gives_its_lots_back(self):
        self.grant(15.0)
        order = self.make_order(60.0)
        card = self.card_for(order, 45.0)
        part = card._wallet_hold_part(order, 15.0)
        self.assertEqual(self.promo(), 0.0)
        self.simulate(card, "cancel")
        self.assertEqual(part.wallet_transaction_ids.state, "cancel")
        self.assertEqual(self.promo(), 15.0)
        self.assertBooksAgree()


class TestCashback(PromotionsCommon):
    def test_a_paid_order_earns_cashback_on_what_it_paid_in_cash(self):
        self.cashback_rule(10.0, validity_days=30)
        self.topup(100.0)
        self.grant(20.0)
        order, _tx = self.paid_order(80.0)  # 20 promotional, 60 cash
        lot = self.env["wallet.lot"].search([("sale_order_id", "=", order.id)])
        self.assertEqual((lot.source, lot.amount), ("cashback", 6.0))
        self.assertEqual(lot.expiry_date, date.today() + timedelta(days=30))
        self.run_post_processing_cron()
        order.transaction_ids._post_process()  # a replayed post-processing earns nothing more
        self.assertEqual(self.env["wallet.lot"].search_count([("sale_order_id", "=", order.id)]), 1)
        self.assertBooksAgree()

    def test_the_best_rule_applies_within_its_bounds(self):
        self.cashback_rule(5.0)
        self.cashback_rule(20.0, min_order=100.0)
        self.cashback_rule(50.0, date_to=date.today() - timedelta(days=1))
        self.cashback_rule(10.0, max_amount=3.0)
        self.topup(200.0)
        order, _tx = self.paid_order(50.0)
        self.assertEqual(
            self.env["wallet.lot"].search([("sale_order_id", "=", order.id)]).amount, 3.0
        )
        # The first order's 3.00 of cashback pays part of the second, which
        # earns 20% of the 117.00 it paid in cash.
        order, _tx = self.paid_order(120.0)
        self.assertEqual(
            self.env["wallet.lot"].search([("sale_order_id", "=", order.id)]).amount, 23.4
        )

    def test_a_card_order_earns_cashback_and_loses_it_when_cancelled(self):
        self.cashback_rule(10.0)
        self.website.wallet_refund_cancelled_orders = True
        order, _tx = self.paid_order(50.0, provider=self.demo)
        self.assertEqual((self.cash(), self.promo()), (0.0, 5.0))
        order.with_context(disable_cancel_warning=True)._action_cancel()
        self.assertEqual((self.cash(), self.promo()), (50.0, 0.0))
        self.assertBooksAgree()

    def test_a_cashback_order_refunded_after_its_cashback_was_spent(self):
        self.cashback_rule(10.0)
        self.topup(100.0)
        _order, tx = self.paid_order(100.0)
        lot = self.env["wallet.lot"].search([("source", "=", "cashback")])
        self.assertEqual(lot.amount, 10.0)
        self.paid_order(8.0)  # spends 8 of the 10 cashback
        expense = self.promotions_expense()
        self.refund_wizard(tx.payment_id, amount=50.0)  # half the order: 5 to claw back
        self.assertEqual((lot.remaining, lot.clawed_back), (0.0, 5.0))
        self.assertEqual((self.cash(), self.promo()), (50.0, 0.0))
        # 2 were clawed back; the 3 already spent stay an expense, and a manager hears of it.
        self.assertAlmostEqual(self.promotions_expense(), expense - 2.0)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "wallet.transaction"), ("res_id", "=", lot.entry_id.id)]
        )
        self.assertTrue(activities)
        for summary in activities.mapped("summary"):
            self.assertIn(f"spent all but {self.currency.format(2.0)}", summary)
        self.refund_wizard(tx.payment_id, amount=50.0)  # the rest: nothing left to take
        self.assertEqual(lot.clawed_back, 10.0)
        self.assertBooksAgree()

    def test_a_credit_note_claws_back_in_proportion(self):
        self.cashback_rule(10.0)
        self.topup(100.0)
        order, _tx = self.paid_order(40.0)
        invoice = order._create_invoices()
        invoice.action_post()
        self.run_post_processing_cron()
        credit_note = self.credit_note_for(invoice)
        self.assertEqual(credit_note.state, "posted")
        lot = self.env["wallet.lot"].search([("sale_order_id", "=", order.id)])
        self.assertEqual((lot.amount, lot.remaining), (4.0, 0.0))
        self.assertBooksAgree()


class TestTopupBonus(PromotionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["wallet.bonus.tier"].with_user(cls.wallet_manager).create(
            [
                {"website_id": cls.website.id, "min_amount": 50.0, "bonus": 4.0},
                {"website_id": cls.website.id, "min_amount": 100.0, "bonus": 10.0},
            ]
        )
        cls.demo.journal_id = cls.bank_journal

    def card_topup(self, amount):
        transaction = self.env["payment.transaction"].create(
            {
                "provider_id": self.demo.id,
                "payment_method_id": self.demo.payment_method_ids[:1].id,
                "amount": amount,
                "currency_id": self.currency.id,
                "partner_id": self.contact.id,
                "is_wallet_topup": True,
                "wallet_website_id": self.website.id,
            }
        )
        self.simulate(transaction)
        self.run_post_processing_cron()
        return transaction

    def test_a_topup_earns_the_bonus_of_its_tier_once(self):
        transaction = self.card_topup(120.0)
        self.assertEqual((self.cash(), self.promo()), (120.0, 10.0))
        transaction._post_process()
        self.card_topup(20.0)
        self.assertEqual((self.cash(), self.promo()), (140.0, 10.0))
        self.assertBooksAgree()

    def test_a_topup_confirmed_by_mistake_and_reversed_loses_its_bonus(self):
        transaction = self.card_topup(100.0)
        self.env["wallet.adjustment.wizard"].with_user(self.wallet_manager).create(
            {"reversed_entry_id": transaction.wallet_transaction_ids.id, "reason": "mistake"}
        ).action_apply()
        self.assertEqual((self.cash(), self.promo()), (0.0, 0.0))
        self.assertBooksAgree()

    def test_a_topup_with_a_bonus_refunded(self):
        transaction = self.card_topup(100.0)
        self.paid_order(3.0)  # spends 3 of the bonus
        self.assertEqual((self.cash(), self.promo()), (100.0, 7.0))
        self.refund_top_up(transaction, 60.0)
        # A refund only takes cash; 60% of the bonus (6) is clawed back from what is left.
        self.assertEqual((self.cash(), self.promo()), (40.0, 1.0))
        self.paid_order(15.0)  # 1 promotional, 14 cash
        self.grant(20.0)
        with (
            self.assertRaisesRegex(UserError, r"Only \$\s?26\.00 of this top-up can be refunded"),
            self.cr.savepoint(),
        ):
            transaction.with_user(self.billing).action_refund(amount_to_refund=40.0)
        self.refund_top_up(transaction, 26.0)
        self.assertEqual((self.cash(), self.promo()), (0.0, 20.0))
        self.assertBooksAgree()

    def refund_top_up(self, transaction, amount):
        """The Refund button on the top-up's payment, then the provider's answer."""
        self.refund_wizard(transaction.payment_id, amount=amount)
        self.run_post_processing_cron()


class TestExpiry(PromotionsCommon):
    def test_a_lot_expires_once_booked_back_to_wallet_promotions(self):
        self.topup(10.0)
        lot = self.grant(15.0, expiry_date=date.today() + timedelta(days=2)).lot_ids
        self.paid_order(5.0)
        with freeze_time(fields.Datetime.now() + timedelta(days=3)):
            self.env["wallet.lot"]._cron_expire()
            self.env["wallet.lot"]._cron_expire()
        expiry = self.Ledger.search([("kind", "=", "expiry")])
        self.assertEqual((len(expiry), expiry.amount, lot.state), (1, 10.0, "expired"))
        self.assertEqual((self.cash(), self.promo()), (10.0, 0.0))
        self.assertAlmostEqual(self.promotions_expense(), 5.0)
        self.assertBooksAgree()

    def test_a_reversed_expiry_gives_back_its_own_lot_only(self):
        """One expiry run books every lot it expires in one journal entry:
        reversing one lot's expiry books back that lot alone (found by the
        money fuzzer: the whole run's entry was reversed)."""
        expiry_date = date.today() + timedelta(days=1)
        lot = self.grant(2.85, expiry_date=expiry_date).lot_ids
        other = self.grant(7.0, expiry_date=expiry_date, partners=self.other_customer).lot_ids
        with freeze_time(fields.Datetime.now() + timedelta(days=3)):
            self.env["wallet.lot"]._cron_expire()
        expiry = self.Ledger.search(
            [("kind", "=", "expiry"), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual((lot.state, other.state), ("expired", "expired"))
        other_expiry = self.Ledger.search(
            [("kind", "=", "expiry"), ("partner_id", "=", self.other_customer.id)]
        )
        self.assertEqual(expiry.move_id, other_expiry.move_id, "one journal entry for the run")
        reversal = expiry._reverse("expired by mistake")
        self.assertEqual((reversal.promo_amount, self.promo()), (2.85, 2.85))
        self.assertEqual(self.promo(self.other_customer), 0.0)
        self.assertBooksAgree()
        self.assertBooksAgree(self.other_customer)

    def test_expiry_at_the_boundary_of_the_customers_day(self):
        """A lot expiring on the 31st is spendable until midnight where the
        customer is: in Auckland (UTC+13 in January) that is 11:00 UTC."""
        self.customer.tz = "Pacific/Auckland"
        self.topup(10.0)
        lot = self.grant(10.0, expiry_date=date(2027, 1, 31)).lot_ids
        with freeze_time(datetime(2027, 1, 31, 10, 59)):
            self.env["wallet.lot"]._cron_expire()
            self.assertEqual(lot.state, "open")
            self.assertEqual(self.env["wallet.lot"]._spendable(self.customer, self.company), lot)
        with freeze_time(datetime(2027, 1, 31, 11, 1)):
            self.assertFalse(self.env["wallet.lot"]._spendable(self.customer, self.company))
            # Not expired by the cron yet, but never spent: the payment takes cash only.
            with self.assertRaisesRegex(UserError, "10.00 available, .*15.00 needed"):
                self.Ledger._debit(self.customer, 15.0, funds="any")
            self.env["wallet.lot"]._cron_expire()
            self.assertEqual(lot.state, "expired")
        self.assertBooksAgree()

    def test_a_lot_held_for_a_payment_in_progress_waits(self):
        lot = self.grant(10.0, expiry_date=date.today()).lot_ids
        hold = self.Ledger._debit(self.customer, 4.0, funds="any", pending=True)
        with freeze_time(fields.Datetime.now() + timedelta(days=2)):
            self.env["wallet.lot"]._cron_expire()
            self.assertEqual(lot.state, "open")
            hold._cancel()
            self.env["wallet.lot"]._cron_expire()
        self.assertEqual((lot.state, self.promo()), ("expired", 0.0))
        self.assertBooksAgree()

    def test_customers_are_warned_before_their_credit_expires(self):
        self.company.wallet_expiry_warning_days = 5
        soon = self.grant(10.0, expiry_date=date.today() + timedelta(days=3)).lot_ids
        later = self.grant(10.0, expiry_date=date.today() + timedelta(days=30)).lot_ids
        with patch.object(type(self.env["mail.template"]), "send_mail") as send_mail:
            self.env["wallet.lot"]._cron_warn_expiry()
            self.env["wallet.lot"]._cron_warn_expiry()
        send_mail.assert_called_once_with(soon.id)
        self.assertEqual((soon.expiry_warned, later.expiry_warned), (True, False))


class TestOwners(PromotionsCommon):
    def test_merge_and_a_new_parent_company_carry_lots_with_their_expiry(self):
        expiry = date.today() + timedelta(days=20)
        for how in ("merge", "reparent"):
            with self.subTest(how=how):
                person = self.env["res.partner"].create({"name": f"Private {how}"})
                lot = self.grant(8.0, expiry_date=expiry, partners=person).lot_ids
                before = self.promo()
                if how == "merge":
                    self.env["base.partner.merge.automatic.wizard"].create({})._merge(
                        (person | self.customer).ids, dst_partner=self.customer
                    )
                else:
                    person.parent_id = self.customer
                self.assertEqual((lot.partner_id, lot.expiry_date), (self.customer, expiry))
                self.assertEqual(self.promo(), before + 8.0)
                self.assertBooksAgree()


class TestPromotionsInEuros(InEuros, TestSpending):
    """The spending rules, in a company that keeps its books in euros."""


@tagged("post_install", "-at_install", "wallet_concurrency")
class TestExpiryRace(ConcurrentWalletCase):
    def test_two_cron_workers_expire_each_lot_exactly_once(self):
        partners = [self.committed_wallet(f"Expiry race {index}", 5.0) for index in range(6)]
        with self.registry.cursor() as cr:
            env = self.env(cr=cr, su=True)
            for partner_id in partners:
                env["wallet.transaction"].sudo()._credit(
                    env["res.partner"].browse(partner_id),
                    7.0,
                    kind="grant",
                    lot_values={"expiry_date": date.today() - timedelta(days=2)},
                )
        self.addCleanup(purge_committed, self.registry, partners)

        def expire(env, _worker):
            return env["wallet.lot"]._cron_expire()

        in_parallel(self.registry, expire, range(2))
        with self.registry.cursor() as cr:
            env = self.env(cr=cr, su=True)
            expiries = env["wallet.transaction"].search(
                [("kind", "=", "expiry"), ("partner_id", "in", partners)]
            )
            self.assertEqual(len(expiries), 6)
            self.assertEqual(sorted(expiries.partner_id.ids), sorted(partners))
            for partner_id in partners:
                wallet = env["wallet.balance"].search([("partner_id", "=", partner_id)])
                self.assertEqual((wallet.balance, wallet.promo_balance), (5.0, 0.0))
            self.assertEqual(env["wallet.transaction"]._check_ledger(), [])
