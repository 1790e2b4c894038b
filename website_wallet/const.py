# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The payment provider (and its payment method) through which a wallet pays.
PROVIDER_CODE = "wallet"
DEFAULT_PAYMENT_METHOD_CODES = {"wallet"}

# Promotional credit: where a lot comes from.  A grant, a cashback or a bonus
# is credited into a lot of its own; what a refund gives back of a lot is a
# lot too ("return"), which keeps the lot's expiry.
PROMO_SOURCES = [
    ("grant", "Grant"),
    ("cashback", "Cashback"),
    ("bonus", "Top-up Bonus"),
    ("return", "Given Back"),
]
# The kinds of entries that credit promotional credit, and that take it away.
PROMO_CREDIT_KINDS = ("grant", "cashback", "bonus")
PROMO_DEBIT_KINDS = ("expiry", "clawback")
# Promotional credit given back (a refund, a cancelled order) keeps its lot's
# expiry, but can always be spent for at least this long.
MIN_RETURN_VALIDITY = timedelta(days=7)

# An automatic top-up turns itself off after this many failed charges in a
# row (a card declined, a bank asking the customer to authenticate): the
# customer is told each time, and sets it on again from My Wallet.
AUTO_TOPUP_MAX_FAILURES = 3
# After a failed charge, the hourly sweep waits this long before charging the
# card again (a new payment below the threshold does not wait): a declined
# card is not retried every hour.
AUTO_TOPUP_RETRY_DELAY = timedelta(hours=12)

# Portal pages.
HISTORY_STEP = 10
RECENT_COUNT = 5

# A card top-up whose payment transaction is still a draft after this delay was
# abandoned (the shopper closed the tab): its pending entry is cancelled, so it
# no longer counts as pending.  A payment that succeeds later still credits.
# Card payments end within minutes; a day leaves room for slow 3-D Secure and
# redirect flows, well inside the framework's own 4-day post-processing window.
TOPUP_DRAFT_EXPIRY = timedelta(days=1)

# The wallet's part of a split payment is held while the other payment is made.
# Held money cannot be spent: a card payment left a draft this long (the shopper
# closed the tab) releases it.  Should the card still succeed, the wallet's part
# is taken again if the wallet allows.
SPLIT_HOLD_EXPIRY = timedelta(hours=1)

# How many times a request that has written nothing yet starts its database
# transaction again to lock a wallet that another payment just changed, before
# leaving it to Odoo's own retry (see wallet.balance._lock_before_any_write).
WALLET_LOCK_ATTEMPTS = 5

# Fields of a payment transaction that decide whether, and how much, wallet
# money moves.  Only the payment framework (its notifications, its cron and its
# buttons, which run as superuser) and Wallet Managers may change them.
GUARDED_TRANSACTION_FIELDS = frozenset(
    {
        "state",
        "amount",
        "currency_id",
        "partner_id",
        "provider_id",
        "operation",
        "source_transaction_id",
        "sale_order_ids",
        "invoice_ids",
        "is_wallet_topup",
        "wallet_topup_rule_id",
    }
)

# Why the wallet cannot pay: the payment form reports it, and the check made
# under the wallet's lock refuses the payment with it.
UNAVAILABLE_REASONS = {
    "disabled": _lt("the wallet is turned off on this website"),
    "provider": _lt("the wallet cannot pay %(document)s"),
    "not_owner": _lt("only a logged-in customer pays with their own wallet"),
    "no_document": _lt("the wallet pays orders and invoices only"),
    "currency": _lt("the wallet holds %(currency)s only"),
    "cancelled": _lt("%(document)s is cancelled"),
    "paid": _lt("%(document)s is already paid"),
    "not_invoice": _lt("%(document)s cannot be paid with the wallet"),
    "validation": _lt("the wallet only makes payments"),
    "topup": _lt("a wallet cannot pay its own top-up"),
    "balance": _lt("insufficient wallet balance"),
    "split": _lt("the wallet pays its part; the rest cannot wait for a transfer"),
}

# The liability roll-forward's movement columns: (direction, kind), each a field
# ``<direction>_<kind>`` of wallet.liability.line.
ROLL_FORWARD_MOVEMENTS = (
    ("credit", "topup"),
    ("credit", "refund"),
    ("credit", "adjustment"),
    ("credit", "reversal"),
    ("credit", "grant"),
    ("credit", "cashback"),
    ("credit", "bonus"),
    ("debit", "payment"),
    ("debit", "refund"),
    ("debit", "withdrawal"),
    ("debit", "adjustment"),
    ("debit", "reversal"),
    ("debit", "expiry"),
    ("debit", "clawback"),
)
# A balance with no movement for this many months is dormant.
DORMANT_MONTHS = (6, 12)
