"""Automatic top-ups from a saved payment method, and low-balance alerts:
one charge per crossing, after the debit's commit, within the monthly cap,
crediting what is captured; failures told, and the rule off after three."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import api, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from ..const import AUTO_TOPUP_MAX_FAILURES, AUTO_TOPUP_RETRY_DELAY, TOPUP_DRAFT_EXPIRY
from .common import ConcurrentWalletCase, TopupFlowMixin, WalletHttpCommon, in_parallel

CHARGE_CRON = "website_wallet.cron_auto_topup"


class AutoTopupMixin:
    @classmethod
    def setup_auto_topup(cls, env, demo):
        demo.sudo().allow_tokenization = True
        env.ref("website.default_website").wallet_low_balance_threshold = 0.0

    @staticmethod
    def make_token(env, provider, partner, state="done"):
        return (
            env["payment.token"]
            .sudo()
            .create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": provider.payment_method_ids[:1].id,
                    "partner_id": partner.id,
                    "provider_ref": f"demo-{partner.id}",
                    "payment_details": "4242",
                    "demo_simulated_state": state,
                }
            )
        )

    @staticmethod
    def make_rule(env, partner, token, **values):
        return (
            env["wallet.topup.rule"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": env.company.id,
                    "enabled": True,
                    "threshold": 20.0,
                    "top_up_mode": "fixed",
                    "amount": 50.0,
                    "token_id": token.id,
                    **values,
                }
            )
        )


@tagged("post_install", "-at_install")
class TestAutoTopup(AutoTopupMixin, WalletHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_auto_topup(cls.env, cls.demo)
        cls.token = cls.make_token(cls.env, cls.demo, cls.contact)

    def setUp(self):
        super().setUp()
        self.rule = self.make_rule(self.env, self.customer, self.token)
        self.topup(30.0)

    def pay(self, amount):
        return self.Ledger._debit(self.customer, amount, description="checkout")

    def charges(self):
        """The rule's charges, newest first."""
        return self.rule.charge_ids.sorted("id", reverse=True)

    def later(self, delay):
        """The clock, ``delay`` after now (the charges were made now)."""
        return freeze_time(fields.Datetime.now() + delay)

    def mails(self, subject):
        return self.env["mail.mail"].search([("subject", "ilike", subject)])

    def wakes_charger(self, work):
        """Whether ``work`` wakes the charging cron after its commit (and not
        before)."""
        cron = self.env.ref(CHARGE_CRON)
        postcommit = self.env.cr.postcommit
        postcommit.clear()
        with patch.object(type(cron), "_trigger", autospec=True) as trigger:
            work()
            trigger.assert_not_called()
            postcommit.run()
        return any(call.args[0].id == cron.id for call in trigger.call_args_list)

    # ------------------------------------------------------------------
    # Crossing the threshold
    # ------------------------------------------------------------------

    def test_a_debit_crossing_the_threshold_charges_once_after_the_commit(self):
        self.assertTrue(self.wakes_charger(lambda: self.pay(15.0)))
        self.assertFalse(self.charges(), "nothing is charged in the debit's transaction")
        self.env["wallet.topup.rule"]._cron_charge()
        charge = self.charges()
        self.assertEqual(len(charge), 1)
        self.assertRecordValues(
            charge,
            [{"operation": "offline", "token_id": self.token.id, "amount": 50.0, "state": "done"}],
        )
        self.assertEqual(self.customer.wallet_balance, 65.0)
        self.assertFalse(self.rule.charge_id, "nothing in flight once credited")
        self.env["wallet.topup.rule"]._cron_charge()
        self.assertEqual(len(self.charges()), 1, "above the threshold again: no second charge")
        self.assertBooksAgree()

    def test_debits_that_do_not_cross_wake_nothing(self):
        self.assertFalse(self.wakes_charger(lambda: self.pay(5.0)), "25 left: above 20")
        self.pay(10.0)  # crosses: 15 left
        self.assertFalse(self.wakes_charger(lambda: self.pay(1.0)), "already below: no crossing")
        self.assertFalse(
            self.wakes_charger(
                lambda: self.Ledger._debit(
                    self.customer,
                    9.0,
                    kind="adjustment",
                    counterpart_account_id=self.goodwill_account.id,
                )
            ),
            "not spending: a manager's adjustment",
        )

    def test_a_second_crossing_while_a_charge_is_in_flight_starts_nothing(self):
        self.token.demo_simulated_state = "pending"
        self.pay(15.0)
        self.env["wallet.topup.rule"]._cron_charge()
        self.assertEqual(self.charges().state, "pending")
        self.topup(30.0)  # 45: above again
        self.assertFalse(self.wakes_charger(lambda: self.pay(30.0)), "15: in flight, nothing")
        self.env["wallet.topup.rule"]._cron_charge()
        self.assertEqual(len(self.charges()), 1)

    def test_bring_to_a_target_charges_the_difference(self):
        self.rule.sudo().write({"top_up_mode": "target", "target": 100.0})
        self.pay(15.0)
        self.env["wallet.topup.rule"]._cron_charge()
        self.assertEqual(self.charges().amount, 85.0)
        self.assertEqual(self.customer.wallet_balance, 100.0)

    def test_a_pending_charge_stays_in_flight_and_credits_once_when_done(self):
        self.token.demo_simulated_state = "pending"
        self.pay(15.0)
        Rule = self.env["wallet.topup.rule"]
        Rule._cron_charge()
        charge = self.charges()
        self.assertEqual(charge.state, "pending")
        self.assertEqual(self.rule.charge_id, charge)
        self.assertEqual(self.customer.wallet_pending, 50.0)
        self.assertEqual(self.customer.wallet_balance, 15.0)
        self.pay(5.0)
        Rule._cron_charge()
        self.assertEqual(self.charges(), charge, "one charge in flight at a time")
        self.simulate(charge, "done")
        charge._post_process()
        charge._post_process()  # a replayed post-processing credits nothing more
        self.assertEqual(self.customer.wallet_balance, 60.0)
        self.assertEqual(self.customer.wallet_pending, 0.0)
        self.assertFalse(self.rule.charge_id)
        self.assertBooksAgree()

    def test_a_monthly_top_up_is_charged_once_on_its_day(self):
        """An interval rule: every month on its day, whatever the balance;
        once a month, however often the cron runs; to a target, nothing when
        the wallet is already there."""
        Rule = self.env["wallet.topup.rule"]
        with freeze_time("2027-01-09 10:00"):
            self.rule.sudo().write({"trigger": "monthly", "monthly_day": 10})
            self.assertEqual(str(self.rule.next_charge_date), "2027-01-10")
            Rule._cron_charge()
        self.assertFalse(self.charges(), "not its day yet")
        self.assertFalse(self.wakes_charger(lambda: self.pay(15.0)), "no threshold to cross")
        with freeze_time("2027-01-10 09:00"):
            Rule._cron_charge()
            Rule._cron_charge()
        self.assertEqual(len(self.charges()), 1)
        self.assertEqual(self.customer.wallet_balance, 65.0)
        self.assertEqual(str(self.rule.next_charge_date), "2027-02-10")
        self.rule.sudo().write({"top_up_mode": "target", "target": 60.0})
        with freeze_time("2027-02-10 09:00"):
            Rule._cron_charge()
        self.assertEqual(len(self.charges()), 1, "already above its target")
        self.assertEqual(str(self.rule.next_charge_date), "2027-03-10")
        self.pay(45.0)  # 20
        with freeze_time("2027-03-10 09:00"):
            Rule._cron_charge()
        self.assertEqual(self.charges()[:1].amount, 40.0, "what brings it to 60")
        self.assertBooksAgree()

    def test_the_monthly_cap_limits_what_is_charged(self):
        self.rule.sudo().monthly_cap = 60.0
        Rule = self.env["wallet.topup.rule"]
        self.pay(15.0)
        Rule._cron_charge()
        self.pay(50.0)  # 65 -> 15: crosses again
        Rule._cron_charge()
        self.assertEqual(
            sorted(self.charges().mapped("amount")), [10.0, 50.0], "what the cap leaves"
        )
        self.pay(20.0)
        Rule._cron_charge()
        self.assertEqual(len(self.charges()), 2, "the cap is reached")
        self.assertEqual(self.customer.wallet_balance, 5.0)

    # ------------------------------------------------------------------
    # Failures
    # ------------------------------------------------------------------

    def test_a_declined_charge_tells_the_customer_and_three_turn_the_rule_off(self):
        self.token.demo_simulated_state = "error"
        Rule = self.env["wallet.topup.rule"]
        self.pay(15.0)
        for attempt in range(1, AUTO_TOPUP_MAX_FAILURES + 1):
            with self.later(AUTO_TOPUP_RETRY_DELAY * attempt):
                Rule._cron_charge()
            self.assertEqual(len(self.charges()), attempt)
            self.assertEqual(self.charges()[:1].state, "error")
            self.assertEqual(self.rule.failure_count, attempt)
        self.assertEqual(self.customer.wallet_balance, 15.0, "nothing credited")
        self.assertEqual(self.customer.wallet_pending, 0.0, "no top-up left pending")
        failed = self.mails("could not be topped up")
        self.assertEqual(len(failed), AUTO_TOPUP_MAX_FAILURES - 1)
        self.assertIn("/my/wallet/add?amount=50.0", failed[0].body_html)
        self.assertEqual(failed.recipient_ids, self.contact)
        self.assertFalse(self.rule.enabled)
        self.assertIn("3 failed charges", self.rule.off_reason)
        self.assertEqual(len(self.mails("automatic top-up is off")), 1)
        with self.later(AUTO_TOPUP_RETRY_DELAY * 5):
            Rule._cron_charge()
        self.assertEqual(len(self.charges()), AUTO_TOPUP_MAX_FAILURES, "off: no more charges")
        logged = self.rule.message_ids.filtered(lambda message: "failed:" in message.body)
        self.assertEqual(len(logged), AUTO_TOPUP_MAX_FAILURES, "each failure is on the rule")
        self.assertBooksAgree()

    def test_a_declined_card_waits_before_the_next_try_and_a_success_resets(self):
        self.token.demo_simulated_state = "error"
        self.pay(15.0)
        Rule = self.env["wallet.topup.rule"]
        Rule._cron_charge()
        self.token.demo_simulated_state = "done"
        Rule._cron_charge()
        self.assertEqual(len(self.charges()), 1, "the hourly sweep does not retry at once")
        with self.later(AUTO_TOPUP_RETRY_DELAY + timedelta(minutes=1)):
            Rule._cron_charge()
        self.assertEqual(self.rule.failure_count, 0)
        self.assertEqual(self.customer.wallet_balance, 65.0)

    def test_a_charge_the_provider_never_answers_is_released_after_a_day(self):
        self.pay(15.0)
        with patch.object(type(self.env["payment.transaction"]), "_send_payment_request"):
            self.env["wallet.topup.rule"]._cron_charge()
        charge = self.charges()
        self.assertEqual((charge.state, self.rule.charge_id), ("draft", charge))
        with self.later(TOPUP_DRAFT_EXPIRY + timedelta(minutes=1)):
            self.env["wallet.topup.rule"]._cron_charge()
        self.assertEqual(charge.state, "error")
        self.assertIn("did not answer", self.rule.message_ids.mapped("body")[0])
        retry = self.charges() - charge
        self.assertEqual(retry.state, "done", "the rule charges again at once")
        self.assertEqual(self.customer.wallet_balance, 65.0)
        self.assertEqual(self.customer.wallet_pending, 0.0)

    def test_a_card_whose_owner_left_the_company_is_never_charged(self):
        self.contact.parent_id = self.env["res.partner"].create(
            {"name": "Another Buyer Ltd", "is_company": True}
        )
        self.pay(15.0)
        self.env["wallet.topup.rule"]._cron_charge()
        self.assertFalse(self.charges())
        self.assertFalse(self.rule.enabled)
        self.assertIn("cannot be used", self.rule.off_reason)

    def test_a_provider_that_raises_is_a_failed_charge(self):
        self.pay(15.0)
        with (
            patch.object(
                type(self.env["payment.transaction"]),
                "_send_payment_request",
                side_effect=ConnectionError("provider unreachable"),
            ),
            mute_logger("odoo.addons.website_wallet.models.wallet_topup_rule"),
        ):
            self.env["wallet.topup.rule"]._cron_charge()
        self.assertEqual(self.charges().state, "error")
        self.assertEqual(self.rule.failure_count, 1)
        self.assertEqual(self.customer.wallet_balance, 15.0)

    # ------------------------------------------------------------------
    # The rule and its payment method
    # ------------------------------------------------------------------

    def test_removing_the_payment_method_turns_the_rule_off(self):
        self.token.active = False  # what /my/payment_method's delete does
        self.assertFalse(self.rule.enabled)
        self.assertIn("was removed", self.rule.off_reason)
        self.assertEqual(len(self.mails("automatic top-up is off")), 1)
        other = self.make_token(self.env, self.demo, self.contact)
        self.rule.sudo().write({"enabled": True, "token_id": other.id})
        other.unlink()
        self.assertFalse(self.rule.enabled)
        self.assertFalse(self.rule.token_id)

    def test_a_wallet_with_no_money_yet_is_swept(self):
        """A customer who sets a rule before their first top-up is topped up
        by the hourly sweep, as any wallet left below its threshold."""
        newcomer = self.env["res.partner"].create({"name": "New Wallet Customer"})
        rule = self.make_rule(self.env, newcomer, self.make_token(self.env, self.demo, newcomer))
        self.env["wallet.topup.rule"]._cron_charge()
        self.assertEqual(rule.charge_ids.state, "done")
        self.assertEqual(newcomer.wallet_balance, 50.0)

    def test_a_rule_follows_its_customer_into_a_company(self):
        """A private customer who becomes a company's contact takes their
        wallet there, and their rule with it; a company with a rule of its own
        keeps it, and the contact's turns off."""
        person = self.env["res.partner"].create({"name": "Private Wallet Customer"})
        rule = self.make_rule(self.env, person, self.make_token(self.env, self.demo, person))
        company = self.env["res.partner"].create({"name": "Wallet Buyer Ltd", "is_company": True})
        person.parent_id = company
        self.assertEqual(rule.partner_id, company)
        self.assertTrue(rule.enabled)
        other = self.env["res.partner"].create({"name": "Second Private Customer"})
        second = self.make_rule(self.env, other, self.make_token(self.env, self.demo, other))
        other.parent_id = company
        self.assertFalse(second.enabled)
        self.assertEqual(second.partner_id, other)
        self.assertIn("has its own", second.off_reason)

    def test_a_rule_is_checked_on_the_server(self):
        theirs = self.make_token(self.env, self.demo, self.other_customer)
        cases = [
            ("another customer's payment method", {"token_id": theirs.id}),
            ("no payment method", {"token_id": False}),
            ("a target under the threshold", {"top_up_mode": "target", "target": 20.0}),
            ("an amount under the minimum top-up", {"amount": 0.5}),
            ("no threshold", {"threshold": 0.0}),
            ("a cap under the amount", {"monthly_cap": 10.0}),
            ("a day past the 28th", {"trigger": "monthly", "monthly_day": 31}),
        ]
        for label, values in cases:
            with (
                self.subTest(label),
                self.assertRaises(ValidationError),
                self.env.cr.savepoint(),
            ):
                self.rule.sudo().write(values)
        archived = self.make_token(self.env, self.demo, self.contact)
        archived.active = False
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.rule.sudo().write({"token_id": archived.id})
        for label, values in (
            ("captured by hand", {"capture_manually": True}),
            ("no saved cards", {"allow_tokenization": False}),
        ):
            with (
                self.subTest(label),
                self.assertRaises(ValidationError),
                self.env.cr.savepoint(),
            ):
                self.demo.sudo().write(values)
                self.rule.sudo().write({"threshold": 21.0})

    def test_only_the_customer_sets_a_rule_and_a_manager_only_turns_it_off(self):
        for user in (self.wallet_user, self.wallet_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.rule.with_user(user).write({"amount": 500.0})
        with self.assertRaises(AccessError):
            self.env["wallet.topup.rule"].with_user(self.wallet_manager).create(
                {"partner_id": self.other_customer.id, "company_id": self.company.id}
            )
        with self.assertRaises(AccessError):
            self.rule.with_user(self.portal_user).read(["threshold"])
        self.rule.with_user(self.wallet_manager).action_turn_off()
        self.assertFalse(self.rule.enabled)
        self.assertEqual(self.rule.off_reason, "Turned off by the shop.")
        with self.assertRaises(AccessError):
            self.rule.with_user(self.wallet_manager).write({"enabled": True})

    def test_a_billing_user_cannot_make_a_charge_of_this_feature(self):
        billing = new_test_user(
            self.env, login="wallet_billing_auto", groups="account.group_account_invoice"
        )
        card_payment = self.env["payment.transaction"].create(
            {
                "provider_id": self.demo.id,
                "payment_method_id": self.token.payment_method_id.id,
                "reference": "CARD-PAYMENT",
                "amount": 50.0,
                "currency_id": self.currency.id,
                "partner_id": self.contact.id,
            }
        )
        with self.assertRaises(AccessError):
            card_payment.with_user(billing).write({"wallet_topup_rule_id": self.rule.id})
        with self.assertRaises(AccessError):
            self.env["payment.transaction"].with_user(billing).create(
                {
                    "provider_id": self.demo.id,
                    "payment_method_id": self.token.payment_method_id.id,
                    "reference": "AUTO-FORGED",
                    "amount": 50.0,
                    "currency_id": self.currency.id,
                    "partner_id": self.contact.id,
                    "token_id": self.token.id,
                    "operation": "offline",
                    "wallet_topup_rule_id": self.rule.id,
                }
            )

    # ------------------------------------------------------------------
    # Low-balance alert
    # ------------------------------------------------------------------

    def alerts(self):
        template = self.env.ref("website_wallet.mail_template_wallet_low_balance")
        return self.env["wallet.notification"].search([("template_id", "=", template.id)])

    def test_the_low_balance_alert_is_sent_once_per_crossing(self):
        self.rule.sudo().write({"enabled": False, "alert_threshold": 20.0})
        self.pay(5.0)  # 25
        self.assertFalse(self.alerts())
        self.pay(10.0)  # 15: crossing
        self.pay(5.0)  # 10: still below
        self.assertEqual(len(self.alerts()), 1)
        self.topup(50.0)  # 60
        self.pay(45.0)  # 15: a second crossing
        self.assertEqual(len(self.alerts()), 2)
        self.env["wallet.notification"]._cron_send()
        alert = self.mails("running low")
        self.assertEqual(len(alert), 2)

    def test_the_website_default_alert_applies_without_a_rule_of_ones_own(self):
        self.rule.sudo().unlink()
        self.env.ref("website.default_website").wallet_low_balance_threshold = 20.0
        with patch.object(
            type(self.env["website"]),
            "get_current_website",
            return_value=self.env.ref("website.default_website"),
        ):
            self.pay(15.0)
        self.assertEqual(len(self.alerts()), 1)


@tagged("post_install", "-at_install")
class TestAutoTopupPortal(AutoTopupMixin, TopupFlowMixin, WalletHttpCommon):
    """My Wallet's Automatic top-up form, and Add Money saving a card."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_auto_topup(cls.env, cls.demo)

    def setUp(self):
        super().setUp()
        self.authenticate("wallet_portal", "wallet_portal")

    def post_rule(self, **values):
        form = {
            "csrf_token": self.csrf_token(),
            "enabled": "1",
            "threshold": "20",
            "top_up_mode": "fixed",
            "amount": "50",
            "monthly_cap": "",
            "alert_threshold": "",
            **values,
        }
        return self.url_open("/my/wallet/auto-topup", data=form)

    def csrf_token(self):
        page = self.url_open("/my/wallet").text
        return page.split('name="csrf_token" value="')[1].split('"')[0]

    def rule(self):
        return self.env["wallet.topup.rule"].sudo().search([("partner_id", "=", self.customer.id)])

    def test_without_a_saved_payment_method_only_the_alert_is_offered(self):
        page = self.url_open("/my/wallet").text
        self.assertIn("o_wallet_auto_topup_no_token", page)
        self.assertNotIn('name="threshold"', page)
        response = self.post_rule(enabled="", alert_threshold="15")
        self.assertIn("auto_topup_saved", response.url)
        self.assertRecordValues(self.rule(), [{"enabled": False, "alert_threshold": 15.0}])

    def test_a_customer_sets_a_rule_with_their_saved_card(self):
        token = self.make_token(self.env, self.demo, self.contact)
        page = self.url_open("/my/wallet").text
        self.assertIn(f'value="{token.id}"', page)
        response = self.post_rule(token_id=str(token.id), monthly_cap="200")
        self.assertIn("auto_topup_saved", response.url)
        self.assertRecordValues(
            self.rule(),
            [
                {
                    "enabled": True,
                    "threshold": 20.0,
                    "amount": 50.0,
                    "token_id": token.id,
                    "monthly_cap": 200.0,
                    "website_id": self.env.ref("website.default_website").id,
                }
            ],
        )

    def test_a_customer_sets_a_monthly_top_up(self):
        token = self.make_token(self.env, self.demo, self.contact)
        response = self.post_rule(token_id=str(token.id), trigger="monthly", monthly_day="5")
        self.assertIn("auto_topup_saved", response.url)
        self.assertRecordValues(self.rule(), [{"trigger": "monthly", "monthly_day": 5}])
        self.assertEqual(self.rule().next_charge_date.day, 5)

    def test_another_contact_of_the_company_sets_the_alert_only(self):
        """The rule charges the card of the contact who set it up: a colleague
        (with a card of their own) cannot switch it to theirs or change it,
        and sets the wallet's alert without touching it."""
        token = self.make_token(self.env, self.demo, self.contact)
        self.make_rule(self.env, self.customer, token)
        colleague = self.env["res.partner"].create(
            {"name": "Colin Colleague", "parent_id": self.customer.id, "email": "c@example.com"}
        )
        new_test_user(
            self.env, login="wallet_colleague", groups="base.group_portal", partner_id=colleague.id
        )
        self.authenticate("wallet_colleague", "wallet_colleague")
        theirs = self.make_token(self.env, self.demo, colleague)
        self.assertIn("o_wallet_auto_topup_owner", self.url_open("/my/wallet").text)
        response = self.post_rule(token_id=str(theirs.id), amount="80")
        self.assertIn("only they can change it", response.text)
        self.assertRecordValues(self.rule(), [{"token_id": token.id, "amount": 50.0}])
        self.url_open(
            "/my/wallet/auto-topup",
            data={"csrf_token": self.csrf_token(), "alert_threshold": "12"},
        )
        self.assertRecordValues(
            self.rule(), [{"enabled": True, "token_id": token.id, "alert_threshold": 12.0}]
        )

    def test_bad_input_is_refused_with_a_message_and_kept(self):
        token = self.make_token(self.env, self.demo, self.contact)
        theirs = self.make_token(self.env, self.demo, self.other_customer)
        cases = [
            ({"token_id": str(theirs.id)}, "cannot be used for automatic top-ups"),
            ({"token_id": str(token.id), "threshold": "abc"}, "as numbers"),
            ({"token_id": str(token.id), "amount": "-5"}, "as numbers"),
            ({"token_id": str(token.id), "threshold": "nan"}, "as numbers"),
            (
                {"token_id": str(token.id), "top_up_mode": "target", "target": "10"},
                "above the threshold",
            ),
            ({"token_id": str(token.id), "top_up_mode": "all"}, "how much to add"),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                response = self.post_rule(**values)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_wallet_auto_topup_error", response.text)
                self.assertIn(message, response.text)
                self.assertFalse(self.rule())
        self.assertIn('value="abc"', self.post_rule(threshold="abc").text, "the input is kept")

    def test_the_form_needs_its_csrf_token(self):
        response = self.url_open(
            "/my/wallet/auto-topup", data={"enabled": "1", "threshold": "20", "amount": "50"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.rule())

    def test_add_money_can_save_the_card(self):
        amount = 40.0
        processing = self.start_topup(self.demo, amount, tokenization_requested=True)
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", processing["reference"])])
        )
        self.assertTrue(tx.tokenize)
        self.simulate(tx, "done")
        self.assertTrue(tx.token_id, "Save my payment details saved the card")
        self.assertEqual(tx.token_id.partner_id, self.contact)
        page = self.url_open("/my/wallet").text
        self.assertIn(f'value="{tx.token_id.id}"', page)

    def test_add_money_with_a_saved_card_and_never_another_customers(self):
        token = self.make_token(self.env, self.demo, self.contact)
        processing = self.start_topup(self.demo, 30.0, flow="token", token_id=token.id)
        tx = self.transaction(processing)
        self.assertRecordValues(
            tx, [{"token_id": token.id, "operation": "online_token", "state": "done"}]
        )
        tx._post_process()
        self.assertEqual(self.customer.wallet_balance, 30.0)
        theirs = self.make_token(self.env, self.demo, self.other_customer)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.start_topup(self.demo, 30.0, flow="token", token_id=theirs.id)
        self.assertEqual(self.customer.wallet_balance, 30.0)


class TestAutoTopupConcurrency(AutoTopupMixin, ConcurrentWalletCase):
    """Debits in cursors of their own crossing at once, and two cron workers:
    one charge."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_id = cls.committed_wallet("Auto Top-up Racer", 40.0)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            demo = env.ref("payment.payment_provider_demo")
            cls.addClassCleanup(
                cls.restore_provider, demo.id, demo.read(["state", "allow_tokenization"])[0]
            )
            demo.write({"state": "test", "allow_tokenization": True})
            partner = env["res.partner"].browse(cls.partner_id)
            token = cls.make_token(env, demo, partner)
            cls.rule_id = cls.make_rule(env, partner, token, monthly_cap=60.0).id

    @classmethod
    def restore_provider(cls, provider_id, values):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            values.pop("id")
            env["payment.provider"].browse(provider_id).write(values)

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_debits_at_once_and_two_workers_make_one_charge_within_the_cap(self):
        def pay(env, _worker):
            partner = env["res.partner"].browse(self.partner_id)
            return env["wallet.transaction"]._debit(partner, 15.0, description="checkout").id

        paid = in_parallel(self.registry, pay, [1, 2])
        self.assertEqual(len(set(paid.values())), 2, "both debits went through")

        def charge(env, _worker):
            env["wallet.topup.rule"]._cron_charge()

        in_parallel(self.registry, charge, [1, 2])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            rule = env["wallet.topup.rule"].browse(self.rule_id)
            self.assertEqual(len(rule.charge_ids), 1)
            self.assertEqual(rule.charge_ids.state, "done")
            self.assertEqual(rule.partner_id.wallet_balance, 60.0)
            self.assertEqual(env["wallet.transaction"]._check_ledger(), [])

        # Again: the monthly cap (60) leaves 10 for the second crossing, once.
        def pay_more(env, _worker):
            partner = env["res.partner"].browse(self.partner_id)
            return env["wallet.transaction"]._debit(partner, 25.0, description="checkout").id

        in_parallel(self.registry, pay_more, [1, 2])
        in_parallel(self.registry, charge, [1, 2])
        in_parallel(self.registry, charge, [1, 2])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            rule = env["wallet.topup.rule"].browse(self.rule_id)
            self.assertEqual(sorted(rule.charge_ids.mapped("amount")), [10.0, 50.0])
            self.assertEqual(rule.partner_id.wallet_balance, 20.0)
            self.assertEqual(env["wallet.transaction"]._check_ledger(), [])
