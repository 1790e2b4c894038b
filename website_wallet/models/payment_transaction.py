# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, fields, models


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

    def _wallet_open_topup(self, reference):
        """Record the pending top-up this new transaction pays.

        ``reference`` is the ledger reference the transaction's own reference
        starts with, so that a bank statement or a Stripe dashboard line leads
        back to the wallet entry.
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
        result = super()._post_process()
        for transaction in self:
            entry = transaction._wallet_topup_entry()
            if not entry or entry.state != "pending":
                continue  # not a top-up, or already settled: never twice
            if transaction.state == "done":
                entry.sudo()._confirm(account_payment_id=transaction.payment_id.id)
            elif transaction.state in ("cancel", "error"):
                entry.sudo()._cancel()
        return result
