# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from psycopg2.errors import SerializationFailure

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..const import (
    AUTO_TOPUP_MAX_FAILURES,
    AUTO_TOPUP_RETRY_DELAY,
    PROVIDER_CODE,
    TOPUP_DRAFT_EXPIRY,
)

_logger = logging.getLogger(__name__)

CHARGE_CRON = "website_wallet.cron_auto_topup"
# What a Wallet Manager may change on a customer's rule: turn it off.
MANAGER_FIELDS = frozenset({"enabled", "off_reason"})


class WalletTopupRule(models.Model):
    """A customer's automatic top-up and low-balance alert, one per wallet.

    A debit that takes the available balance below the threshold only wakes
    the charging cron once its database transaction has committed: the
    payment that spent the money is never slowed or put at risk by a card
    charge.  The cron charges the saved payment method off-session, as a
    top-up like any other (the ledger credits what is captured, once); the
    rule's lock and its charge in flight make it one charge at a time, within
    the monthly cap, however many debits cross at once.
    """

    _name = "wallet.topup.rule"
    _inherit = ["mail.thread"]
    _description = "Automatic Wallet Top-up"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    website_id = fields.Many2one(
        "website", readonly=True, help="The website whose top-up limits and pages the rule uses."
    )
    enabled = fields.Boolean("Automatic Top-up", tracking=True)
    trigger = fields.Selection(
        [("threshold", "When the balance falls below"), ("monthly", "Every month")],
        default="threshold",
        required=True,
    )
    threshold = fields.Monetary(
        "When Available Balance Falls Below", help="The available balance that starts a top-up."
    )
    monthly_day = fields.Integer(
        "Day of the Month", default=1, help="A monthly top-up is charged on this day (1 to 28)."
    )
    next_charge_date = fields.Date("Next Monthly Top-up", readonly=True)
    top_up_mode = fields.Selection(
        [("fixed", "Add an amount"), ("target", "Bring the balance to")],
        default="fixed",
        required=True,
    )
    amount = fields.Monetary("Amount to Add")
    target = fields.Monetary("Balance to Reach")
    token_id = fields.Many2one(
        "payment.token", "Saved Payment Method", ondelete="set null", check_company=True
    )
    monthly_cap = fields.Monetary(help="At most this much is added automatically per month.")
    alert_threshold = fields.Monetary(
        "Low-balance Alert Below",
        help="An email when the available balance falls below this amount (0: the website's).",
    )
    failure_count = fields.Integer("Failed Charges in a Row", readonly=True)
    off_reason = fields.Char("Turned Off Because", readonly=True)
    charge_id = fields.Many2one(
        "payment.transaction", "Charge in Progress", readonly=True, ondelete="set null"
    )
    charge_ids = fields.One2many(
        "payment.transaction", "wallet_topup_rule_id", "Charges", readonly=True
    )

    _sql_constraints = [
        ("wallet_unique", "UNIQUE(partner_id, company_id)", "A wallet has one automatic top-up."),
        (
            "amounts_positive",
            "CHECK(threshold >= 0 AND amount >= 0 AND target >= 0 AND monthly_cap >= 0"
            " AND alert_threshold >= 0)",
            "The amounts of an automatic top-up cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------
    # The customer's rule
    # ------------------------------------------------------------------

    @api.constrains(
        "enabled",
        "trigger",
        "threshold",
        "monthly_day",
        "top_up_mode",
        "amount",
        "target",
        "token_id",
        "monthly_cap",
    )
    def _check_rule(self):
        for rule in self.filtered("enabled"):
            error = rule._rule_error()
            if error:
                raise ValidationError(error)

    def _rule_error(self):
        """What is wrong with this rule, in the customer's words, or nothing."""
        currency = self.currency_id
        monthly = self.trigger == "monthly"
        if monthly and not 1 <= self.monthly_day <= 28:
            return _("Choose a day of the month from 1 to 28.")
        if not monthly and currency.compare_amounts(self.threshold, 0.0) <= 0:
            return _("Choose the balance below which your wallet is topped up.")
        website = self._website()
        if self.top_up_mode == "target":
            floor = 0.0 if monthly else self.threshold
            if currency.compare_amounts(self.target, floor) <= 0:
                return _("The balance to reach must be above the threshold.")
        else:
            _amount, error = website._wallet_parse_topup_amount(self.amount)
            if error:
                return error
        smallest = self.amount if self.top_up_mode == "fixed" else website.wallet_topup_min
        if self.monthly_cap and currency.compare_amounts(self.monthly_cap, smallest) < 0:
            return _("The monthly cap must allow at least one top-up.")
        return self._token_error(self.token_id)

    def _token_error(self, token):
        """Why ``token`` cannot pay this wallet's top-ups, or nothing: it must
        be the customer's own, active, for a provider of this company that
        saves payment methods and is enabled."""
        token = token.sudo()
        if not token:
            return _("Choose the saved payment method to charge.")
        provider = token.provider_id
        if (
            token.partner_id.commercial_partner_id != self.partner_id
            or not token.active
            or provider.company_id != self.company_id
            or provider.state not in ("enabled", "test")
            or not provider.allow_tokenization
            or provider.code == PROVIDER_CODE
            or provider.capture_manually  # a charge would wait for someone to capture it
        ):
            return _("This payment method cannot be used for automatic top-ups.")
        return None

    def _website(self):
        return self.website_id or self.env["website"].get_current_website()

    @api.model_create_multi
    def create(self, vals_list):
        """Override of `base`: only the wallet's owner sets a rule up, through
        My Wallet (which writes as superuser once it knows the customer)."""
        if not self.env.su:
            raise AccessError(_("Only the customer sets up an automatic top-up, on My Wallet."))
        rules = super().create(vals_list)
        rules._schedule_monthly()
        return rules

    def write(self, vals):
        """Override of `base`: a Wallet Manager may turn a customer's rule off,
        and change nothing else of it."""
        if not self.env.su and (set(vals) - MANAGER_FIELDS or vals.get("enabled")):
            raise AccessError(_("Only the customer changes an automatic top-up, on My Wallet."))
        result = super().write(vals)
        if {"enabled", "trigger", "monthly_day"} & vals.keys():
            self._schedule_monthly()
        return result

    def _schedule_monthly(self, after=None):
        """The next day a monthly top-up is charged: its day of the month, on
        or after ``after`` (today)."""
        start = after or fields.Date.context_today(self)
        for rule in self:
            next_date = False
            if rule.enabled and rule.trigger == "monthly" and 1 <= rule.monthly_day <= 28:
                next_date = start.replace(day=rule.monthly_day)
                if next_date < start:
                    next_date += relativedelta(months=1)
            super(WalletTopupRule, rule.sudo()).write({"next_charge_date": next_date})
        return True

    def action_turn_off(self):
        """A Wallet Manager turns the rule off (the customer can turn it on again)."""
        for rule in self:
            reason = rule._for_customer().env._("Turned off by the shop.")
            rule.write({"enabled": False, "off_reason": reason})

    def _turn_off(self, reason):
        """Turn the rule off for ``reason`` and tell the customer."""
        for rule in self.filtered("enabled"):
            rule.sudo().write({"enabled": False, "off_reason": reason})
            rule.message_post(body=reason)
            rule._send_email("website_wallet.mail_template_wallet_auto_topup_off")

    def _for_customer(self):
        """This rule in the language of the customer, who reads why it turned
        off on My Wallet and in their email."""
        return self.with_context(lang=self._recipient().lang)

    def _follow_commercial_partner(self):
        """Their customers became contacts of a company, whose wallet now holds
        their money: each rule follows to it, unless the company has a rule of
        its own for that wallet (then this one turns off)."""
        for rule in self:
            target = rule.partner_id.commercial_partner_id
            if self.search_count(
                [("partner_id", "=", target.id), ("company_id", "=", rule.company_id.id)]
            ):
                rule._turn_off(
                    rule._for_customer().env._(
                        "Turned off: %(company)s's wallet has its own.", company=target.name
                    )
                )
            else:
                rule.partner_id = target

    def _recipient(self):
        """Who set the rule up (the owner of its payment method), rather than
        the company they buy for."""
        return self.token_id.sudo().partner_id or self.partner_id

    def _send_email(self, template):
        self.env.ref(template).sudo().send_mail(self.id)

    def _add_money_url(self, amount=None):
        """My Wallet's Add Money, with ``amount`` filled in."""
        query = f"?{urlencode({'amount': amount})}" if amount else ""
        return f"{self._website().get_base_url()}/my/wallet/add{query}"

    # ------------------------------------------------------------------
    # Debits crossing a threshold
    # ------------------------------------------------------------------

    @api.model
    def _watch(self, entry, wallet, available_before):
        """Called by the ledger after each debit of ``wallet`` (locked), in the
        debit's transaction: a debit that takes the available balance below
        the rule's threshold wakes the charging cron after the commit, and one
        below the alert threshold queues one alert.  Nothing else happens in
        the debit's transaction: one indexed read, and an email queued when a
        threshold is crossed (not on every payment below it)."""
        available = wallet._available()
        self.flush_model(["enabled", "charge_id", "threshold", "alert_threshold", "website_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT enabled AND trigger = 'threshold' AND charge_id IS NULL
                       AND threshold > %(after)s
                       AND threshold <= %(before)s,
                       alert_threshold, website_id
                  FROM wallet_topup_rule WHERE partner_id = %(partner)s AND company_id = %(company)s
                """,
                after=available,
                before=available_before,
                partner=wallet.partner_id.id,
                company=wallet.company_id.id,
            )
        )
        charge, alert_threshold, website_id = self.env.cr.fetchone() or (False, 0.0, None)
        if charge:
            self.env["ir.cron"]._wallet_trigger_after_commit(CHARGE_CRON)
        if not alert_threshold:
            website = self.env["website"].browse(website_id) or self._website()
            alert_threshold = website.sudo().wallet_low_balance_threshold
        currency = wallet.currency_id
        if (
            alert_threshold
            and currency.compare_amounts(available, alert_threshold) < 0
            and currency.compare_amounts(available_before, alert_threshold) >= 0
        ):
            self.env["wallet.notification"]._enqueue(
                entry, "mail_template_wallet_low_balance", available
            )

    # ------------------------------------------------------------------
    # Charging
    # ------------------------------------------------------------------

    @api.model
    def _cron_charge(self):
        """Charge every rule whose wallet is below its threshold with no charge
        in flight: those a debit woke the cron for, and any left behind (a
        server stopped before the cron woke, a wallet emptied by a refund)."""
        self._release_unanswered_charges()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT rule.id FROM wallet_topup_rule rule
             LEFT JOIN wallet_balance wallet ON wallet.partner_id = rule.partner_id
                                            AND wallet.company_id = rule.company_id
                 WHERE rule.enabled AND rule.charge_id IS NULL
                   AND CASE rule.trigger
                       WHEN 'monthly' THEN rule.next_charge_date <= %s
                       ELSE COALESCE(wallet.balance - wallet.held, 0) < rule.threshold
                       END
                 ORDER BY rule.id
                """,
                fields.Date.today(),
            )
        )
        for rule in self.sudo().browse([row[0] for row in self.env.cr.fetchall()]):
            try:
                rule._charge()
            except Exception:  # one rule's trouble never stops the others
                if self.env.registry.in_test_mode():
                    raise
                self.env.cr.rollback()
                _logger.exception("Wallet automatic top-up of rule %s failed", rule.id)

    @api.model
    def _release_unanswered_charges(self):
        """A charge still a draft after ``TOPUP_DRAFT_EXPIRY`` (the worker
        stopped before the provider answered, or the provider never did) is
        a failed charge: its rule may charge again."""
        unanswered = (
            self.env["payment.transaction"]
            .sudo()
            .search(
                [
                    ("wallet_topup_rule_id.charge_id", "!=", False),
                    ("state", "=", "draft"),
                    ("create_date", "<", fields.Datetime.now() - TOPUP_DRAFT_EXPIRY),
                ]
            )
        )
        for transaction in unanswered.filtered(lambda tx: tx.wallet_topup_rule_id.charge_id == tx):
            transaction._set_error(_("The payment provider did not answer."))
            transaction._post_process()

    def _charge(self):
        """Charge this rule once, under its lock: a second worker (or a second
        crossing) skips a rule being charged or in flight."""
        self.ensure_one()
        self.flush_recordset()
        try:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM wallet_topup_rule"
                    " WHERE id = %s AND enabled AND charge_id IS NULL"
                    " FOR NO KEY UPDATE SKIP LOCKED",
                    self.id,
                ),
                log_exceptions=False,
            )
        except SerializationFailure:
            # Another worker charged it since this one began: its charge is
            # the one; a rule still below its threshold waits for the next run.
            self.env.cr.rollback()
            return
        if not self.env.cr.fetchone():
            return
        self.invalidate_recordset()
        if error := self._for_customer()._token_error(self.token_id):
            # The card changed since the rule was saved (its owner left the
            # company, its provider stopped saving cards): never charge it.
            self._turn_off(error)
            return
        if self.trigger == "monthly":  # this month's is being made: the next one's date
            self._schedule_monthly(after=fields.Date.context_today(self) + relativedelta(days=1))
        amount = self._charge_amount()
        if not amount:
            return
        transaction = self._create_charge(amount)
        self._commit()  # the charge exists before the provider is asked: nothing is lost
        try:
            with self.env.cr.savepoint():
                transaction._send_payment_request()
        except Exception as error:  # a provider down, a token refused: a failed charge
            _logger.warning("Wallet automatic top-up %s failed: %s", transaction.reference, error)
            transaction._set_error(_("The payment provider could not be reached."))
        self._commit()  # the provider's answer is kept, whatever follows
        if transaction.state in ("done", "cancel", "error"):
            try:
                with self.env.cr.savepoint():
                    transaction._post_process()
            except Exception:  # core's post-processing cron tries again
                _logger.exception(
                    "Wallet automatic top-up %s: post-processing left to the payment cron",
                    transaction.reference,
                )
        self._commit()

    def _commit(self):
        """Commit between the steps of a charge, as core's post-processing
        cron does; tests run in one transaction."""
        if not self.env.registry.in_test_mode():
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _charge_amount(self):
        """What to charge now: nothing if the wallet is back above the
        threshold (or, monthly, at its target); otherwise the amount (or what
        brings the balance to the target), within the website's limits and
        what the monthly cap leaves."""
        currency, website = self.currency_id, self._website()
        available = self.partner_id.with_company(self.company_id).wallet_balance
        monthly = self.trigger == "monthly"
        if not website.wallet_enabled or (
            not monthly and currency.compare_amounts(available, self.threshold) >= 0
        ):
            return 0.0
        last = self._last_charge()
        if (
            not monthly
            and last.state in ("cancel", "error")
            and last.create_date > fields.Datetime.now() - AUTO_TOPUP_RETRY_DELAY
        ):
            return 0.0  # a declined card is not charged again every hour
        amount = self.amount if self.top_up_mode == "fixed" else self.target - available
        if currency.compare_amounts(amount, 0.0) <= 0:
            return 0.0  # already at its target
        amount = max(amount, website.wallet_topup_min)
        if website.wallet_topup_max:
            amount = min(amount, website.wallet_topup_max)
        if self.monthly_cap:
            amount = min(amount, self.monthly_cap - self._charged_this_month())
        amount = currency.round(amount)
        if currency.compare_amounts(amount, 0.0) <= 0 or (
            currency.compare_amounts(amount, website.wallet_topup_min) < 0
        ):
            _logger.info(
                "Wallet automatic top-up of partner %s: monthly cap reached", self.partner_id.id
            )
            return 0.0
        return amount

    def _last_charge(self):
        return self.charge_ids.sorted("id")[-1:]

    def _charged_this_month(self):
        """What this rule charged since the first of the month, failures aside."""
        start = fields.Datetime.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        charges = self.charge_ids.filtered(
            lambda tx: tx.create_date >= start
            and tx.create_date < start + relativedelta(months=1)
            and tx.state not in ("cancel", "error")
        )
        return sum(charges.mapped("amount"))

    def _create_charge(self, amount):
        """The off-session top-up transaction, through the saved payment
        method; like any top-up it opens its pending entry."""
        token = self.token_id.sudo()
        Transaction = self.env["payment.transaction"].sudo()
        transaction = Transaction.create(
            {
                "provider_id": token.provider_id.id,
                "payment_method_id": token.payment_method_id.id,
                "reference": Transaction.with_company(self.company_id)._compute_reference(
                    token.provider_id.code, is_wallet_topup=True
                ),
                "amount": amount,
                "currency_id": self.currency_id.id,
                "partner_id": token.partner_id.id,
                "token_id": token.id,
                "operation": "offline",
                "is_wallet_topup": True,
                "wallet_topup_rule_id": self.id,
            }
        )
        self.charge_id = transaction
        _logger.info(
            "Wallet automatic top-up %s of %s for partner %s",
            transaction.reference,
            amount,
            self.partner_id.id,
        )
        return transaction

    def _charge_ended(self, transaction):
        """``transaction``, this rule's charge, succeeded, failed or was
        cancelled: the next crossing may charge again.  A failure emails the
        customer a link to add the money by hand; after
        ``AUTO_TOPUP_MAX_FAILURES`` in a row, the rule turns itself off."""
        self.ensure_one()
        rule = self.sudo()
        if rule.charge_id != transaction:  # already ended (post-processed again)
            return
        rule.charge_id = False
        if transaction.state == "done":
            rule.failure_count = 0
            return
        rule.failure_count += 1
        rule.message_post(
            body=_(
                "Automatic top-up %(reference)s of %(amount)s failed: %(reason)s",
                reference=transaction.reference,
                amount=rule.currency_id.format(transaction.amount),
                reason=transaction.state_message or transaction.state,
            )
        )
        if rule.failure_count >= AUTO_TOPUP_MAX_FAILURES:
            rule._turn_off(
                rule._for_customer().env._(
                    "Turned off after %(count)s failed charges in a row.",
                    count=AUTO_TOPUP_MAX_FAILURES,
                )
            )
        else:
            rule._send_email("website_wallet.mail_template_wallet_auto_topup_failed")
