import hashlib
import hmac
import json
import re
import threading
import time
from unittest.mock import patch

from odoo import Command, api
from odoo.service.model import retrying
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.website.tools import MockRequest

from ..const import PROVIDER_CODE


def committed_wallet(registry, name, amount):
    """A new customer whose wallet holds ``amount``, committed so that other
    database cursors (concurrent workers) see it (see ``ConcurrentWalletCase``,
    which purges it afterwards)."""
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        env.company._wallet_setup_accounting()
        partner = env["res.partner"].create({"name": name})
        account = env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", env.company.ids)], limit=1
        )
        env["wallet.transaction"]._credit(
            partner,
            amount,
            kind="adjustment",
            description="Opening balance",
            counterpart_account_id=account.id,
        )
        return partner.id


def committed_tabs(registry, customer_id, price, orders, tabs_per_order):
    """Draft wallet payments, as browser tabs leave them: ``orders`` orders of
    ``price`` and ``tabs_per_order`` wallet transactions for each, committed so
    that concurrent cursors see them.  Returns the orders' and the
    transactions' ids."""
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        provider = env.ref("website_wallet.payment_provider_wallet")
        product = env["product.product"].create(
            {"name": f"Tab item {price}", "list_price": price, "taxes_id": []}
        )
        order_ids, tx_ids = [], []
        for _order in range(orders):
            order = env["sale.order"].create(
                {
                    "partner_id": customer_id,
                    "order_line": [Command.create({"product_id": product.id, "tax_id": []})],
                }
            )
            order_ids.append(order.id)
            for _tab in range(tabs_per_order):
                tx = env["payment.transaction"].create(
                    {
                        "provider_id": provider.id,
                        "payment_method_id": provider.payment_method_ids.id,
                        "amount": price,
                        "currency_id": env.company.currency_id.id,
                        "partner_id": customer_id,
                        "sale_order_ids": [Command.set(order.ids)],
                    }
                )
                tx_ids.append(tx.id)
        return order_ids, tx_ids


# What a committed test leaves, child tables first: (table, SQL selecting the
# rows to delete, given the customers' ids as %(partners)s).
PURGE_STEPS = (
    (
        "wallet_notification",
        "entry_id IN (SELECT id FROM wallet_transaction WHERE partner_id IN %(partners)s)",
    ),
    (
        "wallet_allocation",
        "entry_id IN (SELECT id FROM wallet_transaction WHERE partner_id IN %(partners)s)",
    ),
    ("wallet_lot", "partner_id IN %(partners)s"),
    ("wallet_topup_rule", "partner_id IN %(partners)s"),
    ("wallet_transaction", "partner_id IN %(partners)s"),
    ("wallet_balance", "partner_id IN %(partners)s"),
    (
        "account_partial_reconcile",
        "debit_move_id IN (SELECT id FROM account_move_line WHERE move_id IN %(moves)s)"
        " OR credit_move_id IN (SELECT id FROM account_move_line WHERE move_id IN %(moves)s)",
    ),
    ("account_move_line", "move_id IN %(moves)s"),
    ("account_payment", "move_id IN %(moves)s OR partner_id IN %(partners)s"),
    ("account_move", "id IN %(moves)s"),
    (
        "payment_transaction",
        "partner_id IN %(partners)s AND source_transaction_id IS NOT NULL",
    ),
    ("payment_transaction", "partner_id IN %(partners)s"),
    ("payment_token", "partner_id IN %(partners)s"),
    ("sale_order", "partner_id IN %(partners)s"),
    ("product_product", "id IN %(products)s"),
    (
        "product_template",
        "id NOT IN (SELECT product_tmpl_id FROM product_product)"
        " AND name->>'en_US' LIKE 'Tab item %%'",
    ),
    ("res_partner", "id IN %(partners)s"),
)


def purge_committed(registry, partner_ids):
    """Delete what a committed test made for these customers: their ledger,
    books, payments, orders and the orders' products.  By SQL, because the
    ledger refuses, as it must, to delete its entries."""
    with registry.cursor() as cr:
        partners = tuple(partner_ids)
        cr.execute(
            "SELECT id FROM account_move WHERE partner_id IN %s"
            " UNION SELECT move_id FROM account_move_line WHERE partner_id IN %s",
            (partners, partners),
        )
        moves = tuple(row[0] for row in cr.fetchall()) or (0,)
        cr.execute(
            "SELECT DISTINCT line.product_id FROM sale_order_line line"
            " JOIN sale_order sale ON sale.id = line.order_id WHERE sale.partner_id IN %s",
            (partners,),
        )
        products = tuple(row[0] for row in cr.fetchall() if row[0]) or (0,)
        cr.execute(
            "UPDATE payment_transaction SET payment_id = NULL WHERE partner_id IN %s", (partners,)
        )
        cr.execute(
            "UPDATE account_move_line SET full_reconcile_id = NULL WHERE move_id IN %s", (moves,)
        )
        cr.execute("UPDATE account_move SET origin_payment_id = NULL WHERE id IN %s", (moves,))
        values = {"partners": partners, "moves": moves, "products": products}
        for table, where in PURGE_STEPS:
            cr.execute(f"DELETE FROM {table} WHERE {where}", values)


@tagged("wallet_concurrency")
class ConcurrentWalletCase(TransactionCase):
    """Tests whose workers each run in a database cursor of their own, as
    concurrent requests do: what they need is committed, so that every cursor
    sees it, and purged once the class is done, as committed-cursor tests do.
    Tagged ``wallet_concurrency``."""

    @classmethod
    def committed_wallet(cls, name, amount):
        partner_id = committed_wallet(cls.registry, name, amount)
        cls.addClassCleanup(purge_committed, cls.registry, [partner_id])
        return partner_id


def in_parallel(registry, work, items):
    """Run ``work(env, item)`` for every item at the same moment, each in a
    database cursor of its own (as concurrent workers would), retried and
    committed as Odoo retries and commits a request; return each result."""
    barrier = threading.Barrier(len(items), timeout=10)
    results = {}

    def worker(item):
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            barrier.wait()
            results[item] = retrying(lambda: work(env, item), env)

    threads = [threading.Thread(target=worker, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def process_wallet_payment(env, transaction_id):
    """What the wallet's processing route does with a draft transaction."""
    transaction = env["payment.transaction"].browse(transaction_id)
    transaction._process_notification_data({})
    return transaction.state


class WalletFixtures:
    """A company customer with a contact, users of each role, and the journals
    and accounts the ledger books against."""

    @classmethod
    def setup_wallet_fixtures(cls):
        cls.company = cls.env.company
        cls.company._wallet_setup_accounting()
        # The demo data's cashback rule and top-up bonus would earn every test
        # promotional credit: the tests of promotions make their own.
        cls.env["wallet.cashback.rule"].search([]).active = False
        cls.env["wallet.bonus.tier"].search([]).active = False
        cls.currency = cls.company.currency_id
        cls.Ledger = cls.env["wallet.transaction"]
        cls.customer = cls.env["res.partner"].create(
            {"name": "Wallet Customer Inc", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Wendy Wallet",
                "parent_id": cls.customer.id,
                "email": "wendy@example.com",
                "phone": "+1 555 0101",
                "street": "1 Wallet Way",
                "city": "Springfield",
                "zip": "62701",
                "country_id": cls.env.ref("base.us").id,
                "state_id": cls.env.ref("base.state_us_14").id,
            }
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer"})
        cls.bank_journal = cls.env["account.journal"].search(
            [
                ("type", "=", "bank"),
                ("company_id", "=", cls.company.id),
                ("id", "!=", cls.company.wallet_journal_id.id),
            ],
            limit=1,
        )
        cls.goodwill_account = cls.env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", cls.company.ids)], limit=1
        )
        cls.portal_user = new_test_user(
            cls.env, login="wallet_portal", groups="base.group_portal", partner_id=cls.contact.id
        )
        cls.other_portal_user = new_test_user(
            cls.env,
            login="wallet_portal_other",
            groups="base.group_portal",
            partner_id=cls.other_customer.id,
        )
        cls.wallet_user = new_test_user(cls.env, login="wallet_clerk", groups="base.group_user")
        cls.wallet_manager = new_test_user(
            cls.env,
            login="wallet_boss",
            groups="base.group_user,website_wallet.group_wallet_manager",
        )
        cls.wallet_provider = cls.env["payment.provider"].search(
            [("code", "=", PROVIDER_CODE), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.demo = cls.company_provider("payment.payment_provider_demo", state="test")
        cls.transfer = cls.company_provider("payment.payment_provider_transfer")

    @classmethod
    def company_provider(cls, xmlid, **values):
        """One of Odoo's providers, for the test company (a copy, for a company
        of its own), written ``values``; published."""
        provider = cls.env.ref(xmlid).sudo()  # the main company's, seen from any
        if provider.company_id != cls.company:
            provider = provider.copy({"company_id": cls.company.id})
        provider.write({"is_published": True, **values})
        return provider.sudo(False)

    def simulate(self, transaction, state="done"):
        """The demo provider's answer for ``transaction``, as its own test page
        posts it: done, pending, cancel or error."""
        transaction.sudo()._handle_notification_data(
            "demo",
            {
                "reference": transaction.reference,
                "payment_details": "4242",
                "simulated_state": state,
            },
        )

    @classmethod
    def make_product(cls, name, price):
        """A published service (no delivery step) at an exact, untaxed price."""
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "service",
                "list_price": price,
                "taxes_id": [],
                "is_published": True,
                "sale_ok": True,
            }
        )

    def make_order(self, amount, partner=None):
        product = self.make_product(f"Wallet item {amount}", amount)
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.contact).id,
                "order_line": [(0, 0, {"product_id": product.id, "tax_id": []})],
            }
        )

    def make_invoice(self, amount, move_type="out_invoice", partner=None):
        product = self.make_product(f"Invoiced item {amount}", amount)
        invoice = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or self.contact).id,
                "invoice_line_ids": [
                    (0, 0, {"product_id": product.id, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        return invoice

    def topup(self, amount, partner=None, **values):
        values.setdefault("journal", self.bank_journal)
        return self.Ledger._credit(partner or self.customer, amount, kind="topup", **values)

    def wire_topup(self, amount, partner=None, confirmed=True):
        """A wire-transfer top-up as the Add Money route opens it; ``confirmed``:
        the customer confirmed the transfer, which now awaits the money."""
        partner = partner or self.customer
        provider = self.transfer
        provider.write({"state": "test", "journal_id": self.bank_journal.id})
        transaction = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                "amount": amount,
                "currency_id": self.currency.id,
                "partner_id": partner.id,
                "is_wallet_topup": True,
            }
        )
        if confirmed:
            transaction._set_pending()
        return transaction.wallet_transaction_ids

    def wallet_account_balance(self, partner=None, account=None):
        """The partner's balance on the Customer Wallet liability account, or
        on ``account`` (credit positive)."""
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", (account or self.company.wallet_account_id).id),
                ("partner_id", "=", (partner or self.customer).id),
                ("parent_state", "=", "posted"),
            ]
        )
        return -sum(lines.mapped("balance"))

    def wallet_of(self, partner=None):
        """The wallet's aggregate row: both funds, what is held of each."""
        wallet = (
            self.env["wallet.balance"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", (partner or self.customer).id),
                    ("company_id", "=", self.company.id),
                ]
            )
        )
        wallet.invalidate_recordset()
        return wallet

    def run_post_processing_cron(self):
        """The framework's cron, on this test's customers' transactions.  It
        commits each one, which a test cannot, and rolls back a failing one,
        which here would silently undo the test: that fails the test instead."""

        def rollback():
            raise AssertionError("a transaction's post-processing failed (see the log)")

        transactions = self.env["payment.transaction"].search(
            [
                ("partner_id", "child_of", (self.customer | self.other_customer).ids),
                ("is_post_processed", "=", False),
            ]
        )
        with (
            patch.object(self.env.cr, "commit", lambda: None),
            patch.object(self.env.cr, "rollback", rollback),
        ):
            if transactions:  # an empty recordset would process every transaction
                transactions._cron_post_process()

    def assertBooksAgree(self, partner=None):
        """Ledger = aggregate = books, for each fund: the Customer Wallet
        account holds the cash, the Promotional Credit account the
        promotional credit, and the lots sum to the promotional balance."""
        partner = partner or self.customer
        wallet = self.wallet_of(partner)
        partner.invalidate_recordset()
        self.assertAlmostEqual(wallet.balance, partner.wallet_balance + partner.wallet_held, 2)
        self.assertAlmostEqual(
            self.wallet_account_balance(partner), wallet.balance - wallet.promo_balance, 2
        )
        self.assertAlmostEqual(
            self.wallet_account_balance(partner, self.company.wallet_promo_account_id),
            wallet.promo_balance,
            2,
        )
        lots = (
            self.env["wallet.lot"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("company_id", "=", self.company.id)])
        )
        self.assertAlmostEqual(sum(lots.mapped("remaining")), wallet.promo_balance, 2)
        self.assertAlmostEqual(sum(lots.mapped("held")), wallet.promo_held, 2)
        self.assertEqual(self.Ledger._check_ledger(), [])


class WalletCommon(WalletFixtures, AccountTestInvoicingCommon):
    """The ledger and its books, as account's own tests are written: in a
    fresh company with its own chart of accounts (which gives it its Customer
    Wallet account, Wallet journal and wallet provider), worked by an
    accountant who is a Wallet Manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_wallet_fixtures()


class InEuros:
    """A model-level test class run again in a company that keeps its books in
    euros, not in the database's own dollars."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        euro = cls._enable_currency("EUR")
        return super().setup_independent_company(currency_id=euro.id, **kwargs)


@tagged("post_install", "-at_install")
class WalletHttpCommon(WalletFixtures, PaymentHttpCommon):
    """The shop, the portal and the payment routes, as payment's own HTTP tests
    are written: the main company and its website."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # payment's common mocks the accounting of post-processing away; the
        # wallet books through it.
        cls.enable_post_process_patcher = False
        cls.setup_wallet_fixtures()


def amounts(html, css_class):
    """The monetary values rendered inside elements of ``css_class``."""
    return re.findall(
        rf'class="[^"]*\b{css_class}\b[^"]*"[^>]*>\s*(?:<span[^>]*>)?[^<]*'
        r'<span class="oe_currency_value">([\d.,]+)</span>',
        html,
    )


class WalletProviderMixin:
    def pay(self, tx):
        """Process a wallet payment as its processing route does, for the
        logged-in owner; True when the wallet paid."""
        tx.with_user(self.portal_user).sudo()._handle_notification_data(
            "wallet", {"reference": tx.reference}
        )
        return tx.state == "done"

    def wallet_tx(self, amount, order=None, invoice=None, partner=None, **values):
        return self.env["payment.transaction"].create(
            {
                "provider_id": self.wallet_provider.id,
                "payment_method_id": self.env.ref("website_wallet.payment_method_wallet").id,
                "amount": amount,
                "currency_id": self.currency.id,
                "partner_id": (partner or self.contact).id,
                "operation": "online_redirect",
                "sale_order_ids": [(6, 0, order.ids)] if order else [],
                "invoice_ids": [(6, 0, invoice.ids)] if invoice else [],
                **values,
            }
        )


class TopupFlowMixin:
    """Drive a top-up the way the payment form's JavaScript does."""

    def start_topup(self, provider, amount, access_token=None, **overrides):
        params = {
            "amount": amount,
            "access_token": access_token or self.access_token(amount),
            "provider_id": provider.id,
            "payment_method_id": provider.payment_method_ids[:1].id,
            "token_id": None,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "/my/wallet/status",
            "is_validation": False,
            **overrides,
        }
        return self.make_jsonrpc_request("/my/wallet/transaction", params)

    def access_token(self, amount):
        with MockRequest(self.env):
            return payment_utils.generate_access_token(self.contact.id, amount, self.currency.id)

    def transaction(self, processing_values):
        return self.env["payment.transaction"].search(
            [("reference", "=", processing_values["reference"])]
        )


class PayRouteMixin(WalletProviderMixin):
    """Pay the way the payment form does: create the transaction through a
    document's route, then post the wallet's redirect form."""

    def csrf_token(self):
        page = self.url_open("/my/wallet/add").text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def form_params(self, provider, amount, **extra):
        return {
            "provider_id": provider.id,
            "payment_method_id": provider.payment_method_ids[:1].id,
            "token_id": None,
            "amount": amount,
            "flow": "redirect",
            "tokenization_requested": False,
            "is_validation": False,
            **extra,
        }

    def order_transaction(self, order, amount, provider=None):
        """``/my/orders/<id>/transaction``: the portal order page's route."""
        processing = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/transaction",
            self.form_params(
                provider or self.wallet_provider,
                amount,
                access_token=order._portal_ensure_token(),
                landing_route=order.get_portal_url(),
            ),
        )
        return self.env["payment.transaction"].search([("reference", "=", processing["reference"])])

    def invoice_transaction(self, invoice, amount, provider=None):
        """``/invoice/transaction/<id>``: the portal invoice page's route."""
        processing = self.make_jsonrpc_request(
            f"/invoice/transaction/{invoice.id}",
            self.form_params(
                provider or self.wallet_provider,
                amount,
                access_token=invoice._portal_ensure_token(),
                landing_route=invoice.get_portal_url(),
            ),
        )
        return self.env["payment.transaction"].search([("reference", "=", processing["reference"])])

    def submit(self, tx):
        """Post the wallet's redirect form, as the browser does."""
        return self.url_open(
            "/payment/wallet/process",
            data={"reference": tx.reference, "csrf_token": self.csrf_token()},
            allow_redirects=False,
        )

    def wallet_debits(self):
        return self.Ledger.search(
            [("partner_id", "=", self.customer.id), ("direction", "=", "debit")]
        )


class StripeMixin:
    """Stripe as Odoo's payment_stripe ships it; only Stripe's servers are
    simulated: its API answers (patched) and its signed webhook events."""

    webhook_secret = "whsec_wallet_tests_0123456789"
    intent_id = "pi_wallet_test"

    @classmethod
    def setup_stripe(cls):
        cls.stripe = cls.env.ref("payment.payment_provider_stripe")
        cls.stripe.write(
            {
                "state": "test",
                "is_published": True,
                "stripe_secret_key": "sk_test_wallet",
                "stripe_publishable_key": "pk_test_wallet",
                "stripe_webhook_secret": cls.webhook_secret,
            }
        )

    def stripe_answers(self, answer):
        return patch.object(
            type(self.env["payment.provider"]), "_stripe_make_request", return_value=answer
        )

    def start_stripe_topup(self, amount):
        intent = {"id": self.intent_id, "client_secret": f"{self.intent_id}_secret_x"}
        with self.stripe_answers(intent):
            processing = self.start_topup(self.stripe, amount)
        return self.transaction(processing)

    def intent_succeeded(self, transaction):
        return {
            "type": "payment_intent.succeeded",
            "data": {
                "object": {
                    "id": self.intent_id,
                    "description": transaction.reference,
                    "status": "succeeded",
                    "payment_method": {"type": "card", "card": {"brand": "visa"}},
                }
            },
        }

    def stripe_refund(self, refund_id, amount, status="succeeded"):
        return {
            "id": refund_id,
            "object": "refund",
            "amount": round(amount * 100),
            "currency": "usd",
            "payment_intent": self.intent_id,
            "status": status,
        }

    def charge_refunded(self, transaction, *refunds):
        """What Stripe sends when a charge is refunded from its dashboard."""
        return {
            "type": "charge.refunded",
            "data": {
                "object": {
                    "id": "ch_wallet_test",
                    "object": "charge",
                    "description": transaction.reference,
                    "payment_intent": self.intent_id,
                    "refunds": {"data": list(refunds), "has_more": False},
                }
            },
        }

    def refund_updated(self, refund):
        return {"type": "charge.refund.updated", "data": {"object": refund}}

    def post_event(self, event, secret=None):
        body = json.dumps(event)
        timestamp = int(time.time())
        signature = hmac.new(
            (secret or self.webhook_secret).encode(),
            f"{timestamp}.{body}".encode(),
            hashlib.sha256,
        ).hexdigest()
        return self.url_open(
            "/payment/stripe/webhook",
            data=body.encode(),
            headers={
                "Content-Type": "application/json",
                "Stripe-Signature": f"t={timestamp},v1={signature}",
            },
        )


class RefundMixin:
    """Giving money back through the standard buttons and wizards, as a Billing
    user (Odoo's Invoicing rights) would."""

    @classmethod
    def setup_refund_users(cls):
        cls.billing = new_test_user(
            cls.env,
            login="wallet_refund_billing",
            groups="base.group_user,account.group_account_invoice",
        )

    def refund_wizard(self, payment, amount=None, user=None):
        """The payment form's Refund button, then the wizard's Refund, each a
        request of its own (nothing computed before is kept)."""
        wizard = self.open_refund_wizard(payment, amount=amount, user=user)
        wizard.action_refund()
        return wizard

    def open_refund_wizard(self, payment, amount=None, user=None):
        """The Refund button: the wizard, saved, not yet confirmed (a tab left open)."""
        self.env.invalidate_all()
        payment = payment.with_user(user or self.billing)
        action = payment.action_refund_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(user or self.billing)
            .with_context(active_model="account.payment", active_id=payment.id)
            .create({})
        )
        if amount is not None:
            wizard.amount_to_refund = amount
        return wizard

    def wallet_line(self, move):
        return move.line_ids.filtered(
            lambda line: line.account_id == self.company.wallet_account_id
        )

    def credit_note_for(self, invoice, user=None):
        """The invoice's Credit Note button and wizard, then Confirm."""
        reversal = (
            self.env["account.move.reversal"]
            .with_user(user or self.env.user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "returned"})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        credit_note.action_post()
        return credit_note

    def paid_order(self, amount, provider=None, payer=None):
        """A confirmed shop order paid in full, by the wallet or by ``provider``'s
        card; ``payer``: the contact whose payment it is (the order's by default)."""
        order = self.make_order(amount)
        order.website_id = self.env["website"].get_current_website()
        order.action_confirm()
        if provider:
            tx = self.env["payment.transaction"].create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": provider.payment_method_ids[:1].id,
                    "amount": amount,
                    "currency_id": self.currency.id,
                    "partner_id": (payer or self.contact).id,
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
            tx._set_done()
        else:
            tx = self.wallet_tx(amount, order=order)
            self.pay(tx)
        tx._post_process()
        return order, tx
