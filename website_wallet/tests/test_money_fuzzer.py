"""The money fuzzer: the wallet's living specification of its money rules.

A Hypothesis state machine drives the standard entry points in random order,
as the people who use them: two shoppers (top-ups by card and by wire,
paying orders and invoices whole or split, over HTTP), a Billing user (the
Refund wizard and ``action_refund`` with any amount, credit notes refunded
to the wallet or by Register Payment, a credit note's payment removed), a
salesman (cancel, set to quotation, confirm), a Wallet Manager (confirm and
cancel wire transfers, reverse, adjust, withdraw, grant promotional credit)
and an attacker (posting a split's wallet part to the wallet's own route).
Contacts are merged and customers given a company.  Paid orders earn
cashback and large top-ups a bonus (a rule and a tier on the website);
refunds claw them back; days pass and promotional credit expires.
Shoppers save a card, set an automatic top-up (or turn it off) and remove
cards; payments cross thresholds and the charging cron runs, its charges
succeeding, failing or staying pending until the provider answers.

After every step it checks what must always hold, as TigerBeetle's VOPR
checks its invariants after every operation:

- ledger = aggregate = books, for every wallet and both funds;
- no balance, pending or held amount is negative, in either fund;
- the lots of a wallet sum to its promotional balance;
- nothing gives back more than its origin paid;
- promotional credit never becomes cash: no payment gives back more cash
  than it took;
- no expired credit is ever spent;
- every wallet credit traces to money received, a manager, or a promotion
  earned by money received;
- one automatic charge in flight per wallet, within the monthly cap, each
  from the customer's own saved card, crediting what it captured.

``make test`` runs it with a fixed seed and a bounded number of examples;
``make fuzz`` runs it longer with a random seed (``WALLET_FUZZ_SEED``,
``WALLET_FUZZ_EXAMPLES``, ``WALLET_FUZZ_STEPS``) and prints the seed of any
failure.  Each new money feature adds its rules and invariants here.
"""

import logging
import os
import random
from collections import Counter
from datetime import timedelta

from hypothesis import HealthCheck, Phase, core, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.payment import utils as payment_utils
from odoo.addons.website.tools import MockRequest

from .common import PayRouteMixin, RefundMixin, TopupFlowMixin, WalletHttpCommon

_logger = logging.getLogger(__name__)
# Its one line (the seed and how often each rule ran) shows at any log level.
_logger.setLevel(logging.INFO)

EXAMPLES = int(os.environ.get("WALLET_FUZZ_EXAMPLES", "8"))
STEPS = int(os.environ.get("WALLET_FUZZ_STEPS", "25"))
SEED = os.environ.get("WALLET_FUZZ_SEED", "20261201")
SHRINK = os.environ.get("WALLET_FUZZ_SHRINK") == "1"

# What a refused action raises: over RPC, in a wizard, or over HTTP.
REFUSED = (UserError, ValidationError, AccessError, JsonRpcException)


def is_refusal(error):
    """A refusal the user reads, not a crash: over HTTP, only Odoo's own
    user errors (the route answers with their class name)."""
    return not isinstance(error, JsonRpcException) or str(error).startswith("odoo.exceptions.")


amounts = st.integers(min_value=100, max_value=40000).map(lambda cents: cents / 100)
# What a shopper tops up by hand, or automatically.
small_amounts = st.integers(min_value=100, max_value=8000).map(lambda cents: cents / 100)
picks = st.integers(min_value=0, max_value=10**6)


def pick(items, index):
    return items[index % len(items)]


@tagged("post_install", "-at_install")
class TestMoneyFuzzer(RefundMixin, TopupFlowMixin, PayRouteMixin, WalletHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_refund_users()
        cls.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", False)
        cls.transfer.write(
            {"state": "enabled", "is_published": True, "journal_id": cls.bank_journal.id}
        )
        cls.env["website"].get_current_website().wallet_refund_cancelled_orders = True
        cls.salesman = new_test_user(
            cls.env, login="wallet_fuzz_salesman", groups="sales_team.group_sale_salesman_all_leads"
        )
        cls.wallet_manager.groups_id += cls.env.ref("account.group_account_invoice")
        # Invoicing an order takes sales rights as well.
        cls.billing.groups_id += cls.env.ref("sales_team.group_sale_salesman_all_leads")
        cls.products = [
            cls.make_product(f"Fuzz item {price}", price) for price in (9.5, 40.0, 120.0)
        ]
        website = cls.env["website"].get_current_website()
        cls.env["wallet.cashback.rule"].create(
            {"name": "Fuzz 10%", "website_id": website.id, "percent": 10.0, "validity_days": 2}
        )
        cls.env["wallet.bonus.tier"].create(
            {"website_id": website.id, "min_amount": 50.0, "bonus": 5.0, "validity_days": 1}
        )
        cls.demo.allow_tokenization = True

    def test_money_rules_hold_whatever_the_order_of_the_paths(self):
        seed = random.randrange(2**32) if SEED == "random" else int(SEED)
        machine = type("WalletMoneyMachine", (WalletMoneyMachine,), {"case": self})
        phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if SHRINK else [])
        previous_seed = core.global_force_seed
        core.global_force_seed = seed
        try:
            with mute_logger(
                "odoo.http",
                "odoo.addons.payment.models.payment_transaction",
                "odoo.addons.website_wallet",
            ):
                run_state_machine_as_test(
                    machine,
                    settings=settings(
                        max_examples=EXAMPLES,
                        stateful_step_count=STEPS,
                        deadline=None,
                        database=None,
                        phases=phases,
                        suppress_health_check=list(HealthCheck),
                    ),
                    _min_steps=STEPS,  # every example a whole story, not a few steps
                )
        except Exception as error:
            raise AssertionError(
                f"the money fuzzer failed with seed {seed}"
                f" (rerun: WALLET_FUZZ_SEED={seed} make fuzz): {error}"
            ) from error
        finally:
            core.global_force_seed = previous_seed
        totals = WalletMoneyMachine.totals
        _logger.info("money fuzzer, seed %s: %s", seed, dict(sorted(totals.items())))
        self.assertGreater(totals["steps"], EXAMPLES, totals)
        self.assertGreater(totals["money moved"], 0, totals)


class WalletMoneyMachine(RuleBasedStateMachine):
    """One example: a fresh story from the same database, rolled back after."""

    case = None
    totals = Counter()

    # ------------------------------------------------------------------
    # Set-up and helpers
    # ------------------------------------------------------------------

    @initialize()
    def start(self):
        case = self.case
        self.env = case.env
        self.savepoint = self.env.cr.savepoint()
        # The invariants look at what this example did (the demo data's
        # history was booked by hand, without payment transactions).
        self.env.cr.execute(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM wallet_transaction),"
            " (SELECT COALESCE(MAX(id), 0) FROM payment_transaction),"
            " (SELECT COALESCE(MAX(id), 0) FROM account_move),"
            " (SELECT COALESCE(MAX(id), 0) FROM wallet_lot)"
        )
        self.since = dict(
            zip(("entry", "transaction", "move", "lot"), self.env.cr.fetchone(), strict=True)
        )
        self.logged_in = None
        self.shoppers = {
            "wallet_portal": case.contact,
            "wallet_portal_other": case.other_customer,
        }
        self.orders = []  # sale orders made for a shopper
        self.payments = []  # done payment transactions of orders and invoices
        self.invoices = []
        self.credit_notes = []
        self.split_cards = []  # card transactions paying the rest of a split
        # Lots past their expiry, and the last allocation when they passed it.
        self.expired_lots = {}
        self.tokens = []  # saved cards, each answering as it was saved to

    def teardown(self):
        if getattr(self, "savepoint", None):
            self.savepoint.close(rollback=True)
            self.env.invalidate_all(flush=False)

    def attempt(self, action):
        """Run one user action as its own request would: refused, it changes
        nothing (its savepoint is rolled back)."""
        self.totals["steps"] += 1
        self.totals[action.__qualname__.split(".")[1]] += 1
        try:
            with self.env.cr.savepoint():
                result = action()
        except REFUSED as error:
            if not is_refusal(error):
                raise
            self.totals[f"refused: {action.__qualname__.split('.')[1]}"] += 1
            self.totals[f"refused: {type(error).__name__}"] += 1
            result = None
        self.env.invalidate_all()
        self.charging_cron_runs()
        return result

    def charging_cron_runs(self):
        """The automatic top-up cron, as a commit that crossed a threshold
        wakes it (and its hourly sweep), right after each step."""
        Rule, Transaction = self.env["wallet.topup.rule"], self.env["payment.transaction"]
        if not Rule.sudo().search_count([("enabled", "=", True)]):
            return
        charged = [("wallet_topup_rule_id", "!=", False)]
        before = Transaction.search(charged, limit=1).id or 0
        with self.env.cr.savepoint():
            Rule._cron_charge()
        self.env.invalidate_all()
        for charge in Transaction.search([*charged, ("id", ">", before)]):
            self.totals["automatic charges"] += 1
            self.check_the_monthly_cap(charge)

    def check_the_monthly_cap(self, charge):
        """A new charge and those of its rule earlier in the month stay within
        the cap the rule had when it charged (the customer may lower it
        later: it holds from then on)."""
        rule = charge.wallet_topup_rule_id
        if not rule.monthly_cap:
            return
        month = charge.create_date.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        charged = sum(
            rule.charge_ids.filtered(
                lambda tx: tx.create_date >= month and tx.state not in ("cancel", "error")
            ).mapped("amount")
        )
        assert charged <= rule.monthly_cap + 0.001, f"{rule}: {charged} over {rule.monthly_cap}"

    def login(self, login):
        if self.logged_in != login:
            self.case.authenticate(login, login)
            self.logged_in = login

    def as_user(self, user):
        return self.env(user=user)

    def post_process(self, transaction):
        """The status page's poll, or the framework's cron a minute later."""
        self.case.run_post_processing_cron()
        transaction.invalidate_recordset()

    def submit(self, transaction):
        """The wallet's redirect form, posted: it answers with a redirect, even
        when it refuses (the reason is on the page it leads to)."""
        response = self.case.submit(transaction)
        assert response.status_code < 500, response.text

    def simulate(self, transaction, state="done"):
        self.case.simulate(transaction, state)

    def record_payment(self, transaction):
        transaction.invalidate_recordset()
        if transaction.state == "done":
            self.payments.append(transaction)
            self.totals["money moved"] += 1

    # ------------------------------------------------------------------
    # Shoppers
    # ------------------------------------------------------------------

    @rule(shopper=st.sampled_from(["wallet_portal", "wallet_portal_other"]), amount=amounts)
    def topup_by_card(self, shopper, amount):
        def action():
            self.login(shopper)
            processing = self.case.start_topup(
                self.case.demo, amount, self.topup_token(shopper, amount)
            )
            transaction = self.case.transaction(processing)
            self.simulate(transaction)
            self.post_process(transaction)
            self.record_payment(transaction)

        self.attempt(action)

    def topup_token(self, shopper, amount):
        with MockRequest(self.env):
            return payment_utils.generate_access_token(
                self.shoppers[shopper].id, amount, self.case.currency.id
            )

    @rule(shopper=st.sampled_from(["wallet_portal", "wallet_portal_other"]), amount=amounts)
    def topup_by_wire(self, shopper, amount):
        def action():
            self.login(shopper)
            processing = self.case.start_topup(
                self.case.transfer, amount, self.topup_token(shopper, amount)
            )
            transaction = self.case.transaction(processing)
            # The shopper confirms the transfer on the wire transfer's page.
            response = self.case.url_open(
                "/payment/custom/process", data={"reference": transaction.reference}
            )
            assert response.status_code < 500, response.text
            self.post_process(transaction)

        self.attempt(action)

    @rule(
        shopper=st.sampled_from(["wallet_portal", "wallet_portal_other"]),
        product=picks,
        quantity=st.integers(1, 3),
    )
    def salesman_sends_an_order(self, shopper, product, quantity):
        def action():
            product_id = pick(self.case.products, product)
            order = (
                self.env["sale.order"]
                .with_user(self.case.salesman)
                .create(
                    {
                        "partner_id": self.shoppers[shopper].id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": product_id.id,
                                    "product_uom_qty": quantity,
                                    "tax_id": [],
                                }
                            )
                        ],
                    }
                )
            )
            order.website_id = self.env["website"].get_current_website()
            self.orders.append((shopper, order))

        self.attempt(action)

    @precondition(lambda self: self.orders)
    @rule(
        order=picks,
        payer=st.sampled_from(["owner", "other"]),
        provider=st.sampled_from(["wallet", "card"]),
    )
    def shopper_pays_an_order(self, order, payer, provider):
        """On the order's portal page, with the wallet or a card; the other
        shopper may pay it by card (a payment link)."""
        owner, order = pick(self.orders, order)
        login = owner if payer == "owner" else next(s for s in self.shoppers if s != owner)

        def action():
            self.login(login)
            due = order.amount_total - order.amount_paid
            if provider == "wallet":
                transaction = self.case.order_transaction(order, due)
                self.submit(transaction)
            else:
                transaction = self.case.order_transaction(order, due, provider=self.case.demo)
                self.simulate(transaction)
            self.post_process(transaction)
            self.record_payment(transaction)

        self.attempt(action)

    @precondition(lambda self: self.orders)
    @rule(order=picks)
    def billing_invoices_an_order(self, order):
        _owner, order = pick(self.orders, order)

        def action():
            wizard = (
                self.env["sale.advance.payment.inv"]
                .with_user(self.case.billing)
                .with_context(active_model="sale.order", active_ids=order.ids)
                .create({"advance_payment_method": "delivered"})
            )
            wizard.create_invoices()
            invoices = order.invoice_ids.filtered(lambda invoice: invoice.state == "draft")
            invoices.with_user(self.case.billing).action_post()
            self.invoices += [(_owner, invoice) for invoice in invoices]

        self.attempt(action)

    @rule(shopper=st.sampled_from(["wallet_portal", "wallet_portal_other"]), amount=amounts)
    def billing_sends_an_invoice(self, shopper, amount):
        def action():
            invoice = (
                self.env["account.move"]
                .with_user(self.case.billing)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": self.shoppers[shopper].id,
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Fuzz service", "price_unit": amount, "tax_ids": []}
                            )
                        ],
                    }
                )
            )
            invoice.action_post()
            self.invoices.append((shopper, invoice))

        self.attempt(action)

    @precondition(lambda self: self.invoices)
    @rule(invoice=picks, provider=st.sampled_from(["wallet", "card", "split"]))
    def shopper_pays_an_invoice(self, invoice, provider):
        owner, invoice = pick(self.invoices, invoice)

        def action():
            self.login(owner)
            if provider == "split":
                self.case.make_jsonrpc_request(
                    f"/my/invoices/{invoice.id}/wallet",
                    {"use": True, "access_token": invoice._portal_ensure_token()},
                )
                invoice.invalidate_recordset()
            split = invoice._wallet_split(self.shoppers[owner]) if provider == "split" else {}
            amount = split["remaining_amount"] if split.get("use") else invoice.amount_residual
            if provider == "wallet":
                transaction = self.case.invoice_transaction(invoice, amount)
                self.submit(transaction)
            else:
                transaction = self.case.invoice_transaction(
                    invoice, amount, provider=self.case.demo
                )
                self.simulate(transaction)
            self.post_process(transaction)
            self.record_payment(transaction)
            self.record_payment(transaction.wallet_split_transaction_id)

        self.attempt(action)

    @rule(shopper=st.sampled_from(["wallet_portal", "wallet_portal_other"]), product=picks)
    def shopper_checks_out_partly_with_the_wallet(self, shopper, product):
        """The shop: a cart, the split toggle, the rest by card through the
        shop's own route."""

        def action():
            self.login(shopper)
            self.case.make_jsonrpc_request(
                "/shop/cart/update_json",
                {"product_id": pick(self.case.products, product).id, "add_qty": 1},
            )
            split = self.case.make_jsonrpc_request("/shop/payment/wallet", {"use": True})
            order = self.env["sale.order"].search(
                [("partner_id", "=", self.shoppers[shopper].id), ("state", "=", "draft")],
                order="id desc",
                limit=1,
            )
            amount = split["remaining_amount"] if split["use"] else order.amount_total
            processing = self.case.make_jsonrpc_request(
                f"/shop/payment/transaction/{order.id}",
                self.case.form_params(
                    self.case.demo,
                    amount,
                    access_token=order._portal_ensure_token(),
                    landing_route="/shop/payment/validate",
                ),
            )
            card = self.env["payment.transaction"].search(
                [("reference", "=", processing["reference"])]
            )
            self.split_cards.append((shopper, card))
            self.orders.append((shopper, order))

        self.attempt(action)

    @precondition(lambda self: self.split_cards)
    @rule(card=picks, state=st.sampled_from(["done", "done", "error"]))
    def the_card_of_a_split_answers(self, card, state):
        _shopper, card = pick(self.split_cards, card)

        def action():
            self.simulate(card, state)
            self.post_process(card)
            self.record_payment(card)
            self.record_payment(card.wallet_split_transaction_id)

        self.attempt(action)

    @precondition(lambda self: self.split_cards)
    @rule(card=picks)
    def attacker_posts_a_wallet_part_to_the_wallet_route(self, card):
        shopper, card = pick(self.split_cards, card)

        def action():
            part = card.wallet_split_transaction_id
            if not part:
                return
            self.login(shopper)
            self.submit(part)

        self.attempt(action)

    # ------------------------------------------------------------------
    # Billing: refunds and credit notes
    # ------------------------------------------------------------------

    @precondition(lambda self: self.payments)
    @rule(payment=picks, share=st.integers(1, 100), tabs=st.integers(1, 2))
    def billing_refunds_with_the_wizard(self, payment, share, tabs):
        transaction = pick(self.payments, payment)

        def action():
            payment_record = transaction.payment_id
            if not payment_record:  # the Refund button is on the payment
                return
            available = payment_record.amount_available_for_refund
            amount = self.case.currency.round(max(available, 0.01) * share / 100) or 0.01
            wizards = [
                self.case.open_refund_wizard(payment_record, amount=amount) for _tab in range(tabs)
            ]
            for wizard in wizards:
                self.attempt(wizard.action_refund)
            self.post_process(transaction)

        self.attempt(action)

    @precondition(lambda self: self.payments)
    @rule(payment=picks, factor=st.sampled_from([-1.0, 0.3, 1.0, 1.01, 10.0]))
    def billing_calls_action_refund_over_rpc(self, payment, factor):
        transaction = pick(self.payments, payment)

        def action():
            amount = self.case.currency.round(abs(transaction.amount) * factor)
            transaction.with_user(self.case.billing).action_refund(amount_to_refund=amount)
            self.post_process(transaction)

        self.attempt(action)

    @precondition(lambda self: self.invoices)
    @rule(invoice=picks)
    def billing_issues_a_credit_note(self, invoice):
        owner, invoice = pick(self.invoices, invoice)

        def action():
            credit_note = self.case.credit_note_for(invoice, user=self.case.billing)
            self.credit_notes.append((owner, credit_note))

        self.attempt(action)

    @precondition(lambda self: self.credit_notes)
    @rule(
        credit_note=picks,
        how=st.sampled_from(["refund to wallet", "wallet journal", "bank journal"]),
        share=st.integers(1, 150),
    )
    def billing_settles_a_credit_note(self, credit_note, how, share):
        _owner, credit_note = pick(self.credit_notes, credit_note)

        def action():
            if how == "refund to wallet":
                credit_note.with_user(self.case.billing).action_refund_to_wallet()
                return
            journal = (
                self.case.company.wallet_journal_id
                if how == "wallet journal"
                else self.case.bank_journal
            )
            amount = self.case.currency.round(credit_note.amount_total * share / 100)
            self.env["account.payment.register"].with_user(self.case.billing).with_context(
                active_model="account.move", active_ids=credit_note.ids
            ).create({"journal_id": journal.id, "amount": amount})._create_payments()

        self.attempt(action)

    @precondition(lambda self: self.credit_notes)
    @rule(credit_note=picks)
    def billing_removes_a_payment_from_a_credit_note(self, credit_note):
        _owner, credit_note = pick(self.credit_notes, credit_note)

        def action():
            partials = (
                credit_note.line_ids.matched_debit_ids | credit_note.line_ids.matched_credit_ids
            )
            if partials:
                credit_note.with_user(self.case.billing).js_remove_outstanding_partial(
                    partials[:1].id
                )

        self.attempt(action)

    # ------------------------------------------------------------------
    # Salesman: cancel, set to quotation, confirm
    # ------------------------------------------------------------------

    @precondition(lambda self: self.orders)
    @rule(order=picks, step=st.sampled_from(["cancel", "draft", "confirm"]))
    def salesman_changes_an_order(self, order, step):
        _owner, order = pick(self.orders, order)
        order = order.with_user(self.case.salesman)

        def action():
            if step == "cancel":
                order.with_context(disable_cancel_warning=True).action_cancel()
            elif step == "draft":
                order.action_draft()
            else:
                order.action_confirm()

        self.attempt(action)

    # ------------------------------------------------------------------
    # Wallet Manager
    # ------------------------------------------------------------------

    def ledger_entries(self, domain):
        return self.env["wallet.transaction"].search(domain, order="id")

    @rule(entry=picks, confirm=st.booleans())
    def manager_settles_a_wire_transfer(self, entry, confirm):
        wires = self.ledger_entries(
            [("state", "=", "pending"), ("kind", "=", "topup"), ("id", ">", self.since["entry"])]
        )
        if not wires:
            return
        wire = pick(wires, entry).with_user(self.case.wallet_manager)

        def action():
            (wire.action_confirm if confirm else wire.action_cancel)()
            self.totals["money moved"] += 1

        self.attempt(action)

    @rule(entry=picks)
    def manager_reverses_an_entry(self, entry):
        entries = self.ledger_entries(
            [("state", "=", "done"), ("kind", "!=", "reversal"), ("id", ">", self.since["entry"])]
        )
        if not entries:
            return
        chosen = pick(entries, entry)

        def action():
            self.env["wallet.adjustment.wizard"].with_user(self.case.wallet_manager).create(
                {"reversed_entry_id": chosen.id, "reason": "fuzz"}
            ).action_apply()

        self.attempt(action)

    def share_of_wallet(self, shopper, share):
        """``share`` percent of what the shopper's wallet has available (more
        than it has, above 100), at least a cent."""
        available = self.shoppers[shopper].commercial_partner_id.wallet_balance
        return max(self.case.currency.round(available * share / 100), 0.01)

    @rule(
        shopper=st.sampled_from(["wallet_portal", "wallet_portal_other"]),
        direction=st.sampled_from(["credit", "debit"]),
        share=st.integers(1, 120),
    )
    def manager_adjusts_a_wallet(self, shopper, direction, share):
        def action():
            amount = self.share_of_wallet(shopper, share) if direction == "debit" else share
            self.env["wallet.adjustment.wizard"].with_user(self.case.wallet_manager).create(
                {
                    "partner_id": self.shoppers[shopper].commercial_partner_id.id,
                    "direction": direction,
                    "amount": amount,
                    "reason": "fuzz",
                    "counterpart_account_id": self.case.goodwill_account.id,
                }
            ).action_apply()

        self.attempt(action)

    @rule(
        shopper=st.sampled_from(["wallet_portal", "wallet_portal_other"]),
        share=st.integers(1, 120),
        journal=st.sampled_from(["bank", "bank", "wallet"]),
    )
    def manager_withdraws_to_the_bank(self, shopper, share, journal):
        journal = (
            self.case.bank_journal if journal == "bank" else self.case.company.wallet_journal_id
        )

        def action():
            self.env["wallet.withdrawal.wizard"].with_user(self.case.wallet_manager).create(
                {
                    "partner_id": self.shoppers[shopper].commercial_partner_id.id,
                    "amount": self.share_of_wallet(shopper, share),
                    "journal_id": journal.id,
                }
            ).action_withdraw()

        self.attempt(action)

    @rule(
        shopper=st.sampled_from(["wallet_portal", "wallet_portal_other"]),
        amount=amounts,
        days=st.sampled_from([None, 0, 1, 3]),
    )
    def manager_grants_promotional_credit(self, shopper, amount, days):
        def action():
            expiry = days is not None and fields.Date.today() + timedelta(days=days)
            self.env["wallet.grant.wizard"].with_user(self.case.wallet_manager).create(
                {
                    "partner_ids": [Command.set(self.shoppers[shopper].ids)],
                    "amount": amount,
                    "reason": "fuzz",
                    "expiry_date": expiry or False,
                }
            ).action_grant()
            self.totals["money moved"] += 1

        self.attempt(action)

    @rule(days=st.integers(1, 3))
    def days_pass(self, days):
        """Time moves forward for promotional credit (its expiry dates come
        nearer), and the expiry cron runs."""

        def action():
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE wallet_lot SET expiry_date = expiry_date - %s"
                " WHERE expiry_date IS NOT NULL AND id > %s",
                (days, self.since["lot"]),
            )
            # Monthly top-ups come nearer too (the charging cron runs after).
            self.env.cr.execute(
                "UPDATE wallet_topup_rule SET next_charge_date = next_charge_date - %s"
                " WHERE next_charge_date IS NOT NULL",
                (days,),
            )
            self.env.cr.execute(
                "SELECT id FROM wallet_lot WHERE expiry_date < %s AND id > %s",
                (fields.Date.today(), self.since["lot"]),
            )
            passed = [lot_id for (lot_id,) in self.env.cr.fetchall()]
            self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM wallet_allocation")
            mark = self.env.cr.fetchone()[0]
            for lot_id in passed:
                self.expired_lots.setdefault(lot_id, mark)
            self.env.invalidate_all()
            self.env["wallet.lot"]._cron_expire()

        self.attempt(action)

    # ------------------------------------------------------------------
    # Automatic top-ups
    # ------------------------------------------------------------------

    def save_a_card(self, shopper, answer):
        """A card saved with Save my payment details; the demo card answers
        every charge as it was saved to."""
        token = (
            self.env["payment.token"]
            .sudo()
            .create(
                {
                    "provider_id": self.case.demo.id,
                    "payment_method_id": self.case.demo.payment_method_ids[:1].id,
                    "partner_id": self.shoppers[shopper].id,
                    "provider_ref": f"fuzz-{len(self.tokens)}",
                    "payment_details": "4242",
                    "demo_simulated_state": answer,
                }
            )
        )
        self.tokens.append(token)
        return token

    @rule(
        shopper=st.sampled_from(["wallet_portal", "wallet_portal_other"]),
        card=st.one_of(picks, st.sampled_from(["done", "done", "pending", "error"])),
        theirs=st.sampled_from([False, False, False, True]),
        enabled=st.sampled_from([True, True, True, False]),
        trigger=st.sampled_from(["threshold", "threshold", "monthly"]),
        threshold=small_amounts,
        mode=st.sampled_from(["fixed", "target"]),
        amount=small_amounts,
        cap=st.sampled_from(["", "", "80", "150"]),
    )
    def shopper_sets_an_automatic_topup(
        self, shopper, card, theirs, enabled, trigger, threshold, mode, amount, cap
    ):
        """My Wallet's form (below a threshold or monthly, on tomorrow's
        day: days passing bring it), with a card the shopper saves now
        (answering charges as it was saved to), one saved before or, now and
        then, another shopper's."""
        if isinstance(card, str) or not self.tokens:
            token = self.save_a_card(shopper, card if isinstance(card, str) else "done")
        else:
            token = pick(self.tokens, card)
        owner = self.owner_of(token)
        shopper = next(login for login in self.shoppers if (login == owner) != theirs)

        def action():
            self.login(shopper)
            response = self.case.url_open(
                "/my/wallet/auto-topup",
                data={
                    "csrf_token": self.case.csrf_token(),
                    "enabled": "1" if enabled else "",
                    "trigger": trigger,
                    "monthly_day": str(fields.Date.today().day % 28 + 1),
                    "threshold": str(threshold),
                    "top_up_mode": mode,
                    "amount": str(amount),
                    "target": str(threshold + amount),
                    "token_id": str(token.id),
                    "monthly_cap": cap,
                    "alert_threshold": "",
                },
            )
            assert response.status_code == 200, response.text
            if "o_wallet_auto_topup_error" in response.text:
                self.totals["refused: the automatic top-up form"] += 1

        self.attempt(action)

    def owner_of(self, token):
        return next(
            login for login, partner in self.shoppers.items() if partner == token.partner_id
        )

    @rule(charge=picks, state=st.sampled_from(["done", "error", "cancel"]))
    def a_pending_charge_answers(self, charge, state):
        charges = self.env["payment.transaction"].search(
            [("wallet_topup_rule_id", "!=", False), ("state", "=", "pending")]
        )
        charge = charges and pick(charges, charge)

        def action():
            if charge:
                self.simulate(charge, state)
                self.post_process(charge)

        self.attempt(action)

    @precondition(lambda self: self.tokens)
    @rule(token=picks)
    def shopper_removes_a_saved_card(self, token):
        """/my/payment_method's delete button."""
        token = pick(self.tokens, token)
        shopper = self.owner_of(token)

        def action():
            self.login(shopper)
            self.case.make_jsonrpc_request("/payment/archive_token", {"token_id": token.id})

        self.attempt(action)

    # ------------------------------------------------------------------
    # Contacts: merged, given a company
    # ------------------------------------------------------------------

    @rule(amount=amounts, how=st.sampled_from(["merge", "reparent"]))
    def a_private_wallet_joins_the_customer(self, amount, how):
        """A private customer with a wallet is merged into the company
        customer, or becomes its contact."""
        customer = self.case.customer

        def action():
            person = self.env["res.partner"].create({"name": "Fuzz Private"})
            self.env["wallet.adjustment.wizard"].with_user(self.case.wallet_manager).create(
                {
                    "partner_id": person.id,
                    "direction": "credit",
                    "amount": amount,
                    "reason": "opening",
                    "counterpart_account_id": self.case.goodwill_account.id,
                }
            ).action_apply()
            if how == "merge":
                self.env["base.partner.merge.automatic.wizard"].create({})._merge(
                    (person | customer).ids, dst_partner=customer
                )
            else:
                person.parent_id = customer

        self.attempt(action)

    # ------------------------------------------------------------------
    # Invariants, after every step
    # ------------------------------------------------------------------

    def rows(self, query, params=None):
        """What ``query`` finds once the ORM has written everything."""
        self.env.flush_all()
        self.env.cr.execute(query, params)
        return self.env.cr.fetchall()

    @invariant()
    def ledger_aggregate_and_books_agree(self):
        if getattr(self, "env", None) is None:
            return
        problems = self.env["wallet.transaction"]._check_ledger()
        assert not problems, problems

    @invariant()
    def no_amount_is_negative(self):
        if getattr(self, "env", None) is None:
            return
        self.env.cr.execute(
            "SELECT COUNT(*) FROM wallet_balance"
            " WHERE balance < 0 OR pending < 0 OR held < 0 OR balance - held < 0"
            " OR promo_balance < 0 OR promo_held < 0 OR promo_balance - promo_held < 0"
            " OR balance - promo_balance < 0 OR held - promo_held < 0"
        )
        assert self.env.cr.fetchone()[0] == 0

    @invariant()
    def the_lots_sum_to_the_promotional_balance(self):
        if getattr(self, "env", None) is None:
            return
        off = self.rows(LOTS_OFF_THE_BALANCE)
        assert not off, f"wallets whose lots do not sum to their promotional balance: {off}"

    @invariant()
    def promotional_credit_never_becomes_cash(self):
        if getattr(self, "env", None) is None:
            return
        over = self.rows(CASH_GIVEN_BACK_BEYOND_CASH_PAID, self.since)
        assert not over, f"wallet payments given back in cash beyond their cash: {over}"

    @invariant()
    def no_expired_credit_is_ever_spent(self):
        if getattr(self, "env", None) is None or not self.expired_lots:
            return
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT allocation.lot_id, entry.name, entry.kind FROM wallet_allocation allocation"
            " JOIN wallet_transaction entry ON entry.id = allocation.entry_id"
            " WHERE allocation.lot_id IN %s AND entry.kind IN ('payment', 'withdrawal', 'refund')",
            (tuple(self.expired_lots),),
        )
        spent = [
            row
            for row in self.env.cr.fetchall()
            if self.env["wallet.allocation"].search_count(
                [("lot_id", "=", row[0]), ("id", ">", self.expired_lots[row[0]])]
            )
        ]
        assert not spent, f"expired promotional credit spent: {spent}"

    @invariant()
    def nothing_gives_back_more_than_its_origin_paid(self):
        if getattr(self, "env", None) is None:
            return
        over = self.rows(OVER_GIVEN_PAYMENTS, self.since)
        assert not over, f"payments given back beyond what they paid: {over}"
        over = self.rows(OVER_GIVEN_CREDIT_NOTES, self.since)
        assert not over, f"credit notes given back beyond their total: {over}"

    @invariant()
    def every_credit_traces_to_money_received_or_a_manager(self):
        if getattr(self, "env", None) is None:
            return
        manager_group = self.env.ref("website_wallet.group_wallet_manager")
        untraced = self.rows(UNTRACED_CREDITS, {**self.since, "manager_group": manager_group.id})
        assert not untraced, f"wallet credits from nowhere: {untraced}"

    @invariant()
    def automatic_charges_follow_their_rules(self):
        if getattr(self, "env", None) is None:
            return
        off = self.rows(AUTOMATIC_CHARGES_OFF_THE_RULES, self.since)
        assert not off, f"automatic top-ups off their rules: {off}"


# A payment's give-backs: its refunds that did not fail, and the wallet credits
# that gave it back without a refund transaction (a cancelled order, a
# reversal of a wallet payment).  None may exceed what it paid.
OVER_GIVEN_PAYMENTS = """
    SELECT tx.reference, tx.state, tx.amount,
           COALESCE(refunds.amount, 0) + COALESCE(credits.amount, 0)
      FROM payment_transaction tx
 LEFT JOIN (SELECT source_transaction_id, SUM(-amount) AS amount FROM payment_transaction
             WHERE operation = 'refund' AND state NOT IN ('cancel', 'error')
          GROUP BY source_transaction_id) refunds ON refunds.source_transaction_id = tx.id
 LEFT JOIN (SELECT origin_transaction_id, SUM(amount) AS amount FROM wallet_transaction
             WHERE direction = 'credit' AND state != 'cancel' AND payment_transaction_id IS NULL
          GROUP BY origin_transaction_id) credits ON credits.origin_transaction_id = tx.id
     WHERE tx.operation != 'refund' AND tx.id > %(transaction)s
       AND COALESCE(refunds.amount, 0) + COALESCE(credits.amount, 0)
           > CASE WHEN tx.state = 'done' THEN tx.amount ELSE 0 END + 0.001
"""
OVER_GIVEN_CREDIT_NOTES = """
    SELECT move.name, move.amount_total, SUM(entry.amount)
      FROM wallet_transaction entry
      JOIN account_move move ON move.id = entry.origin_move_id
     WHERE entry.direction = 'credit' AND entry.state != 'cancel' AND move.id > %(move)s
  GROUP BY move.id
    HAVING SUM(entry.amount) > move.amount_total + 0.001
"""
# Money received: a top-up credits what its done transaction captured (or a
# pending one announces it); a refund names the payment or credit note it
# gives back; a reversal reverses a debit; an adjustment is a manager's; a
# cashback was earned by a payment of its order (which may since have been
# cancelled, or set back to a quotation), a bonus by its top-up.
UNTRACED_CREDITS = """
    SELECT entry.name, entry.kind, entry.state, entry.amount
      FROM wallet_transaction entry
 LEFT JOIN payment_transaction tx ON tx.id = entry.payment_transaction_id
 LEFT JOIN payment_transaction source ON source.id = tx.source_transaction_id
 LEFT JOIN wallet_transaction reversed ON reversed.id = entry.reversed_entry_id
     WHERE entry.direction = 'credit' AND entry.state != 'cancel' AND entry.id > %(entry)s
       AND NOT (
            (entry.kind = 'topup' AND (tx.is_wallet_topup OR source.is_wallet_topup)
             AND (entry.state = 'pending' OR (tx.state = 'done' AND tx.amount = entry.amount)))
         OR (entry.kind = 'refund'
             AND (entry.origin_transaction_id IS NOT NULL OR entry.origin_move_id IS NOT NULL))
         OR (entry.kind = 'reversal' AND reversed.direction = 'debit')
         OR (entry.kind IN ('adjustment', 'grant') AND EXISTS (
                SELECT 1 FROM res_groups_users_rel rel
                 WHERE rel.uid = entry.create_uid AND rel.gid = %(manager_group)s))
         OR (entry.kind = 'cashback' AND EXISTS (
                SELECT 1 FROM wallet_lot lot
                  JOIN sale_order_transaction_rel rel ON rel.sale_order_id = lot.sale_order_id
                  JOIN payment_transaction paid ON paid.id = rel.transaction_id
                 WHERE lot.entry_id = entry.id AND paid.state = 'done'))
         OR (entry.kind = 'bonus' AND EXISTS (
                SELECT 1 FROM wallet_lot lot
                  JOIN payment_transaction topup ON topup.id = lot.topup_transaction_id
                 WHERE lot.entry_id = entry.id AND topup.is_wallet_topup
                   AND topup.state = 'done'))
       )
"""
# The lots of a wallet hold its promotional balance, and what is held of it.
LOTS_OFF_THE_BALANCE = """
    SELECT wallet.partner_id, wallet.promo_balance, wallet.promo_held,
           COALESCE(SUM(lot.remaining), 0), COALESCE(SUM(lot.held), 0)
      FROM wallet_balance wallet
 LEFT JOIN wallet_lot lot
        ON lot.partner_id = wallet.partner_id AND lot.company_id = wallet.company_id
  GROUP BY wallet.id
    HAVING ABS(wallet.promo_balance - COALESCE(SUM(lot.remaining), 0)) > 0.001
        OR ABS(wallet.promo_held - COALESCE(SUM(lot.held), 0)) > 0.001
"""
# A wallet payment's give-backs, in cash: never more than the cash it took.
CASH_GIVEN_BACK_BEYOND_CASH_PAID = """
    SELECT tx.reference, debit.amount, debit.promo_amount, SUM(back.amount - back.promo_amount)
      FROM payment_transaction tx
      JOIN wallet_transaction debit
        ON debit.payment_transaction_id = tx.id AND debit.direction = 'debit'
       AND debit.state = 'done'
      JOIN wallet_transaction back
        ON back.origin_transaction_id = tx.id AND back.direction = 'credit'
       AND back.state != 'cancel'
     WHERE tx.id > %(transaction)s
  GROUP BY tx.id, debit.id
    HAVING SUM(back.amount - back.promo_amount) > debit.amount - debit.promo_amount + 0.001
"""
# An automatic top-up's charges: at most one in flight (a draft or pending
# charge) per rule, and it is the rule's; each through a card of the rule's own
# customer, crediting, when done, exactly what it captured, and nothing
# otherwise.  (The monthly cap is checked as each charge is made:
# ``check_the_monthly_cap``.)
AUTOMATIC_CHARGES_OFF_THE_RULES = """
    SELECT rule.id, 'in flight', COUNT(*) FROM wallet_topup_rule rule
      JOIN payment_transaction tx ON tx.wallet_topup_rule_id = rule.id
     WHERE tx.state IN ('draft', 'pending') AND tx.id > %(transaction)s
  GROUP BY rule.id
    HAVING COUNT(*) > 1 OR MAX(tx.id) IS DISTINCT FROM MAX(rule.charge_id)
     UNION ALL
    SELECT tx.id, 'not the customer''s card', tx.amount FROM payment_transaction tx
      JOIN wallet_topup_rule rule ON rule.id = tx.wallet_topup_rule_id
      JOIN payment_token token ON token.id = tx.token_id
      JOIN res_partner owner ON owner.id = token.partner_id
     WHERE COALESCE(owner.commercial_partner_id, owner.id) != rule.partner_id
       AND tx.id > %(transaction)s
     UNION ALL
    SELECT tx.id, 'credited otherwise than captured', COALESCE(SUM(entry.amount), 0)
      FROM payment_transaction tx
 LEFT JOIN wallet_transaction entry
        ON entry.payment_transaction_id = tx.id AND entry.direction = 'credit'
       AND entry.state = 'done'
     WHERE tx.wallet_topup_rule_id IS NOT NULL AND tx.id > %(transaction)s
  GROUP BY tx.id
    HAVING ABS(COALESCE(SUM(entry.amount), 0)
               - CASE WHEN tx.state = 'done' THEN tx.amount ELSE 0 END) > 0.001
"""
