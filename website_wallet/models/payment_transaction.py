# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..const import GUARDED_TRANSACTION_FIELDS, PROVIDER_CODE
from ..controllers.payment import WalletController

_logger = logging.getLogger(__name__)


class PaymentTransaction(models.Model):
    """The wallet as a payment provider: a transaction of the *wallet* provider
    pays an order or an invoice out of the customer's wallet.

    This is one of three money paths, each in its own file: the wallet pays
    (here), money is paid into or given back to a wallet
    (``payment_transaction_topup.py``), and the wallet pays part of a document
    while a card pays the rest (``payment_transaction_split.py``).  Each path
    orchestrates: it locks the wallet, checks what the document still owes,
    books the payment with the framework's own ``_create_payment``, then
    records the entry in the ledger (``wallet.transaction``), which never
    calls back here.
    """

    _inherit = "payment.transaction"

    is_wallet_topup = fields.Boolean("Wallet Top-up", readonly=True, copy=False)
    wallet_topup_rule_id = fields.Many2one(
        "wallet.topup.rule",
        "Automatic Top-up",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The customer's automatic top-up that made this charge.",
    )
    wallet_transaction_ids = fields.One2many(
        "wallet.transaction", "payment_transaction_id", readonly=True
    )

    # ------------------------------------------------------------------
    # The guard on money fields
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """Override of `payment` to refuse a transaction that moves wallet
        money to anyone but the framework and Wallet Managers."""
        transactions = super().create(vals_list)
        if not self.env.su:
            transactions._wallet_check_manual_change()
        return transactions

    def write(self, vals):
        """Override of `payment`: see ``_wallet_check_manual_change``."""
        guarded = not self.env.su and GUARDED_TRANSACTION_FIELDS & vals.keys()
        if guarded:
            self._wallet_check_manual_change()
        result = super().write(vals)
        if guarded:
            self._wallet_check_manual_change()
        return result

    def _wallet_check_manual_change(self):
        """Only the payment framework and Wallet Managers turn transactions into
        wallet money.

        The framework changes states and amounts as superuser, whether a
        provider notifies it, its cron runs or a backend button asks the
        provider.  Anyone else writing them by hand (a Billing user setting a
        wire transfer to done over RPC, say) would credit money that never
        arrived, or confirm an order the wallet never paid.
        """
        if self.env.user.has_group("website_wallet.group_wallet_manager"):
            return
        if any(transaction._wallet_moves_money() for transaction in self.sudo()):
            raise AccessError(
                _(
                    "This payment transaction moves wallet money: only its payment provider"
                    " or a Wallet Manager can change its state or amount. Confirm a received"
                    " wire transfer with Confirm on the wallet transaction."
                )
            )

    def _wallet_moves_money(self):
        self.ensure_one()
        return (
            self.provider_code == PROVIDER_CODE
            or self.is_wallet_topup
            or bool(self.wallet_topup_rule_id)
            or (
                bool(self.source_transaction_id)
                and self.source_transaction_id._wallet_moves_money()
            )
        )

    # ------------------------------------------------------------------
    # Helpers of the three money paths
    # ------------------------------------------------------------------

    def _wallet_document(self):
        """The order or the invoices that this transaction pays."""
        return self.invoice_ids or self.sale_order_ids

    def _wallet_live_entry(self, direction):
        self.ensure_one()
        return self.wallet_transaction_ids.filtered(
            lambda entry: entry.direction == direction and entry.state != "cancel"
        )

    def _wallet_payment(self, promo_amount=0.0):
        """The payment that books this transaction's money, made by the
        framework's own ``_create_payment`` the first time it is asked for,
        as the framework makes it: as superuser (only the ledger's side books
        on the wallet accounts).  ``promo_amount``: its promotional part,
        booked on the Promotional Credit account by the same entry."""
        self.ensure_one()
        if self.payment_id:
            return self.payment_id
        extra = self.env["wallet.transaction"]._promo_payment_values(
            self.partner_id,
            self.company_id,
            abs(self.amount),
            promo_amount,
            inbound=self.amount > 0,
        )
        return self.sudo().with_company(self.company_id)._create_payment(**extra)

    def _wallet_is_manual(self):
        """Whether a person confirms this payment once the money arrives: a wire
        transfer (not Pay on Site, the other custom mode)."""
        return self.provider_code == "custom" and self.provider_id.custom_mode == "wire_transfer"

    # ------------------------------------------------------------------
    # The wallet as the provider: paying an order or an invoice
    # ------------------------------------------------------------------

    def _get_specific_rendering_values(self, processing_values):
        """Override of `payment`: the redirect form posts the reference to the
        wallet's processing route."""
        res = super()._get_specific_rendering_values(processing_values)
        if self.provider_code != PROVIDER_CODE:
            return res
        return {"api_url": WalletController._process_url, "reference": self.reference}

    def _get_tx_from_notification_data(self, provider_code, notification_data):
        """Override of `payment` to find the wallet transaction, and to make
        sure that the customer paying it is its owner: a wallet only ever pays
        for the logged-in customer.  A split's wallet part is never paid on
        its own: its hold is captured with the payment of the rest."""
        tx = super()._get_tx_from_notification_data(provider_code, notification_data)
        if provider_code != PROVIDER_CODE or len(tx) == 1:
            return tx
        reference = notification_data.get("reference")
        tx = self.search([("reference", "=", reference), ("provider_code", "=", PROVIDER_CODE)])
        if not tx:
            raise ValidationError(
                _("Wallet: no transaction found matching reference %s.", reference)
            )
        customer = self.env.user.partner_id.commercial_partner_id
        if tx.partner_id.commercial_partner_id != customer:
            raise AccessError(_("This payment belongs to another customer."))
        if tx._wallet_split_rest():
            raise ValidationError(
                _(
                    "Wallet: %(ref)s is the wallet's part of another payment and is paid with it.",
                    ref=reference,
                )
            )
        return tx

    def _process_notification_data(self, notification_data):
        """Override of `payment` to pay a draft wallet transaction; any other
        state was processed already (a double click, a refreshed page) and is
        left as it is."""
        super()._process_notification_data(notification_data)
        if self.provider_code != PROVIDER_CODE or self.state != "draft":
            return
        if self.operation == "refund":
            self._wallet_refund_to_wallet()
            return
        try:
            with self.env.cr.savepoint():
                self._wallet_pay()
        except UserError as error:
            _logger.info("Wallet payment %s refused: %s", self.reference, error)
            self._set_error(str(error))
            self._wallet_back_to_payment_page()
            return
        self._set_done()

    def _wallet_pay(self):
        """Under the wallet's lock, check what the documents still owe, book the
        payment (Dr Customer Wallet / Cr receivable, reconciled with the
        invoices) and debit the wallet by it, in one database transaction."""
        Ledger = self.env["wallet.transaction"]
        wallet = Ledger._lock_wallet(self.partner_id, self.company_id)
        self._wallet_check_debit(self.amount)
        wallet._check_available(self.amount)  # before anything is booked
        documents = self._wallet_document()
        promo_first = self._wallet_promo_first()
        promo_amount = Ledger._promo_part(wallet, self.amount, promo_first)
        Ledger._debit(
            self.partner_id,
            self.amount,
            kind="payment",
            company=self.company_id,
            funds="any",
            promo_first=promo_first,
            payment_transaction_id=self.id,
            account_payment_id=self._wallet_payment(promo_amount).id,
            sale_order_id=self.sale_order_ids[:1].id,
            invoice_id=self.invoice_ids[:1].id,
            description=", ".join(documents.mapped("name")),
        )

    def _wallet_promo_first(self):
        """Whether this payment spends promotional credit before cash, as its
        order's website (or the current one) says."""
        website = self.sale_order_ids[:1].website_id or self.env["website"].get_current_website()
        return website.wallet_promo_first

    def _wallet_back_to_payment_page(self):
        """After a refused wallet payment the shopper returns to the page they
        paid from, where the reason is shown.  The shop's landing route would
        empty the cart, so a shop payment returns to the payment step; an
        invoice page shows a failed payment's reason when asked to, as core
        does; an order page shows its last transaction's state anyway."""
        route = self.landing_route or ""
        if route.startswith("/shop/payment/validate"):
            self.landing_route = "/shop/payment"
        elif self.invoice_ids and "error=" not in route:
            separator = "&" if "?" in route else "?"
            self.landing_route = f"{route}{separator}error=pay_invoice_tx_fail"

    def _wallet_check_debit(self, amount):
        """Refuse, under the wallet's lock, a payment the wallet may not make.

        The rules of the payment form are asked again
        (``payment.provider._wallet_refusal``), and the documents must still
        owe exactly ``amount``.  They are read again here, after the lock: a
        second tab, a double submit or another route that paid them meanwhile
        is seen, and the second payment is refused.
        """
        self.ensure_one()
        documents = self._wallet_document()
        if not documents:
            raise UserError(self.provider_id._wallet_reason_text("no_document"))
        if len(self.sale_order_ids) > 1:
            raise UserError(_("The wallet pays one order at a time."))
        documents.invalidate_recordset()
        self.sale_order_ids.transaction_ids.invalidate_recordset(["state", "amount"])
        if refusal := self.provider_id._wallet_refusal(documents, self.currency_id):
            raise UserError(self.provider_id._wallet_reason_text(*refusal))
        currency = self.currency_id
        expected = (
            documents._wallet_amounts_due()
            if len(documents) == 1
            else [sum(document._wallet_amounts_due()[0] for document in documents)]
        )
        if rest := self._wallet_split_rest():
            # The wallet's part of a split: what is due less what the other
            # payment brings and the documents do not show as paid yet.
            expected = [expected[0] - rest._wallet_amount_to_come()]
        expected = sorted({currency.round(due) for due in expected})
        if not any(currency.is_zero(amount - due) for due in expected):
            raise UserError(
                _(
                    "The amount to pay (%(amount)s) is not what %(documents)s still owes"
                    " (%(due)s).",
                    amount=currency.format(amount),
                    documents=", ".join(documents.mapped("name")),
                    due=_(" or ").join(currency.format(due) for due in expected),
                )
            )

    def _post_process(self):
        """Override of `payment`: an order's invoice may only exist now
        (automatic invoicing); it is paid with the wallet payment booked when
        the wallet was debited."""
        result = super()._post_process()
        for transaction in self.filtered(
            lambda tx: tx.provider_code == PROVIDER_CODE and tx.state == "done" and tx.payment_id
        ):
            self.env["wallet.transaction"]._reconcile_invoices(
                transaction.payment_id, transaction.invoice_ids
            )
        return result
