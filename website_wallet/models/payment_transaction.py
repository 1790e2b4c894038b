# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, fields, models
from odoo.exceptions import UserError


class PaymentTransaction(models.Model):
    """A payment transaction may pay a wallet top-up.

    The payment framework decides when money moved: whatever brings a top-up
    transaction to *done* (redirect return, webhook, cron, backend) ends in
    ``_post_process``, which asks the ledger to confirm the pending top-up
    entry, once.
    """

    _inherit = "payment.transaction"

    wallet_transaction_ids = fields.One2many(
        "wallet.transaction", "payment_transaction_id", readonly=True
    )

    def _wallet_topup_entry(self):
        self.ensure_one()
        return self.wallet_transaction_ids.filtered(
            lambda entry: entry.kind == "topup" and entry.direction == "credit"
        )

    def _wallet_open_topup(self, reference=None):
        """Record the pending top-up this new transaction pays.

        ``reference`` is the ledger reference drawn ahead for the transaction's
        own reference to start with, so that a bank statement or a Stripe
        dashboard line leads back to the wallet entry.
        """
        self.ensure_one()
        return self.env["wallet.transaction"]._credit(
            self.partner_id,
            self.amount,
            kind="topup",
            pending=True,
            name=reference,
            payment_transaction_id=self.id,
            description=_("Top-up via %(provider)s", provider=self.provider_id.name),
            company=self.company_id,
        )

    # ------------------------------------------------------------------
    # The wallet as the provider: paying an order or an invoice
    # ------------------------------------------------------------------

    def _get_specific_rendering_values(self, processing_values):
        """The redirect form posts the reference to the wallet's processing route."""
        res = super()._get_specific_rendering_values(processing_values)
        if self.provider_code != "wallet":
            return res
        return {"api_url": "/payment/wallet/process", "reference": self.reference}

    def _wallet_expected_amounts(self):
        """What the linked documents ask for: the only amounts a wallet pays.

        An order is paid in full (as the shop requires); an invoice in full, or
        its next installment or early-payment amount as its portal page offers.
        """
        if not self.invoice_ids:
            return [sum(self.sale_order_ids.mapped("amount_total"))]
        amounts = [sum(self.invoice_ids.mapped("amount_residual"))]
        if len(self.invoice_ids) == 1:
            next_payment = self.invoice_ids._get_invoice_next_payment_values()
            amounts += [next_payment.get("next_amount_to_pay"), next_payment.get("amount_due")]
        return [amount for amount in amounts if amount]

    def _wallet_pay(self):
        """Debit the customer's wallet for this draft transaction, then mark it done.

        The debit is atomic (see the ledger); if it fails, for instance because
        the balance changed in another tab, the transaction ends in error with
        the ledger's message and nothing is debited.
        """
        self.ensure_one()
        if not (self.invoice_ids or self.sale_order_ids) or not any(
            self.currency_id.is_zero(self.amount - expected)
            for expected in self._wallet_expected_amounts()
        ):
            self._set_error(_("The amount to pay does not match the order or invoice."))
            return False
        try:
            with self.env.cr.savepoint():
                entry = self.env["wallet.transaction"]._debit(
                    self.partner_id,
                    self.amount,
                    kind="payment",
                    payment_transaction_id=self.id,
                    sale_order_id=self.sale_order_ids[:1].id,
                    invoice_id=self.invoice_ids[:1].id,
                    description=", ".join((self.invoice_ids or self.sale_order_ids).mapped("name")),
                    company=self.company_id,
                )
        except UserError as error:
            self._set_error(str(error))
            return False
        self.payment_id = entry.account_payment_id
        self._set_done()
        return True

    def _wallet_retry_url(self):
        """The page where the customer chooses another way to pay."""
        if self.invoice_ids:
            return self.invoice_ids[:1].get_portal_url()
        return "/shop/payment"

    def _create_payment(self, **extra_create_values):
        """A top-up is owed back to the customer, not earned: its payment credits
        the Customer Wallet liability instead of the receivable, so it can never
        be offered as an outstanding credit and spent a second time."""
        if self._wallet_topup_entry():
            account, _journal = self.company_id._wallet_accounting()
            extra_create_values.setdefault("destination_account_id", account.id)
            journal = self.provider_id.journal_id
            if not journal.inbound_payment_method_line_ids.filtered(
                lambda line: line.payment_provider_id == self.provider_id
            ):
                # Wire transfer has no payment method of its own: the money is
                # booked like any manual receipt of its bank journal.
                extra_create_values.setdefault(
                    "payment_method_line_id", journal.inbound_payment_method_line_ids[:1].id
                )
        return super()._create_payment(**extra_create_values)

    def _post_process(self):
        # Each state is post-processed once by the framework; a second call for
        # the same state must not tell the customer twice.
        first_time = self.filtered(lambda tx: not tx.is_post_processed)
        result = super()._post_process()
        for transaction in self.filtered(
            lambda tx: tx.provider_code == "wallet" and tx.state == "done" and tx.payment_id
        ):
            # The order's invoice may only exist now (automatic invoicing): pay it
            # with the wallet payment booked when the wallet was debited.
            transaction.wallet_transaction_ids._reconcile_invoices(
                transaction.payment_id, transaction.invoice_ids
            )
        for transaction in self:
            entry = transaction._wallet_topup_entry()
            if not entry or entry.state != "pending":
                continue  # not a top-up, or already settled: never twice
            if transaction.state == "done":
                entry.sudo()._confirm(account_payment_id=transaction.payment_id.id)
            elif transaction.state in ("cancel", "error"):
                entry.sudo()._cancel()
            elif transaction.state == "pending" and transaction in first_time:
                entry.sudo()._notify_pending()
        return result
