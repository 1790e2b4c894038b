# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..const import PROMO_CREDIT_KINDS, PROMO_DEBIT_KINDS


class WalletTransaction(models.Model):
    """Accounting: every done entry is booked on the Customer Wallet account,
    in the same database transaction as the entry."""

    _inherit = "wallet.transaction"

    # ------------------------------------------------------------------
    # Accounting: every done entry is booked on the Customer Wallet account
    # ------------------------------------------------------------------

    def _booking_values(self, journal=None, payment=None):
        """Book an entry about to become done, and return the values that link
        the entry to its booking (payment, journal entry).

        ``self`` may be a draft (``new``) record: the entry is created with its
        posting, so a done entry never changes afterwards.  Money moved by a
        payment transaction comes with its payment (``payment``, or the
        entry's own), which the caller made with the framework's
        ``_create_payment``, so that destination, early-payment discounts,
        installments and reconciliation behave exactly as for any provider;
        the ledger only checks it.  A payment registered by hand in the
        Wallet journal is posted here.
        """
        self.ensure_one()
        if payment := (payment or self.account_payment_id).sudo():
            if payment.move_id.state != "posted":
                payment.action_post()
            return self._link_payment(payment)
        if self.payment_transaction_id:
            raise UserError(
                _(
                    "%(ref)s moves the money of a payment transaction: it is booked by that"
                    " transaction's payment.",
                    ref=self.name,
                )
            )
        account, wallet_journal = self.company_id._wallet_accounting()
        if self.kind in ("topup", "withdrawal"):
            self._check_bank_journal(journal, wallet_journal)
            payment_type = "inbound" if self.kind == "topup" else "outbound"
            payment = self._post_payment(journal, payment_type, account)
        elif self.kind in ("payment", "refund"):
            payment_type = "inbound" if self.direction == "debit" else "outbound"
            payment = self._post_payment(wallet_journal, payment_type, self._receivable_account())
            self._reconcile_invoices(payment, self.invoice_id)
        elif self.kind == "adjustment":
            if not self.counterpart_account_id:
                raise UserError(_("A manual adjustment needs a counterpart account."))
            move = self._post_between(wallet_journal, account, self.counterpart_account_id)
            return {"move_id": move.id}
        elif self.kind in PROMO_CREDIT_KINDS + PROMO_DEBIT_KINDS:
            return self._post_promotion(wallet_journal)
        else:
            return self._post_reversal(wallet_journal)
        return {"account_payment_id": payment.id, "move_id": payment.move_id.id}

    @api.model
    def _check_bank_journal(self, journal, wallet_journal):
        """Money received or sent by hand moves through a bank or cash journal:
        the Wallet journal would book it on the Customer Wallet account twice,
        and the wallet would lose money that never left."""
        if not journal:
            raise UserError(_("Choose the journal in which the money was received or sent."))
        if journal == wallet_journal or journal.type not in ("bank", "cash"):
            raise UserError(
                _(
                    "%(journal)s cannot receive or pay out wallet money: choose a bank or"
                    " cash journal other than the Wallet journal.",
                    journal=journal.display_name,
                )
            )

    def _link_payment(self, payment):
        """Link a payment made by someone else (the payment framework, a person
        registering it) once it is known to book exactly this entry."""
        self._check_booked_on_wallet_account(payment.move_id)
        return {"account_payment_id": payment.id, "move_id": payment.move_id.id}

    def _check_booked_on_wallet_account(self, move):
        """The books agree with the ledger by construction: a posting made by
        the payment framework must move the customer's Customer Wallet balance
        by exactly this entry's cash, and their Promotional Credit balance by
        exactly its promotional part.  A provider or journal set up otherwise
        (a method line booking elsewhere) is refused before any money moves."""
        sign = -1 if self.direction == "credit" else 1
        company = self.company_id
        for account, expected in (
            (company.wallet_account_id, sign * (self.amount - self.promo_amount)),
            (company.wallet_promo_account_id, sign * self.promo_amount),
        ):
            booked = sum(
                move.line_ids.filtered(
                    lambda line, account=account: line.account_id == account
                    and line.partner_id == self.partner_id
                ).mapped("balance")
            )
            if not self.currency_id.is_zero(booked - expected):
                raise UserError(
                    _(
                        "%(move)s books %(booked)s on the %(account)s account instead of"
                        " %(expected)s: check the journal and payment method of %(provider)s.",
                        move=move.display_name,
                        booked=self.currency_id.format(booked),
                        account=account.name,
                        expected=self.currency_id.format(expected),
                        provider=self.payment_transaction_id.provider_id.display_name,
                    )
                )

    def _post_payment(self, journal, payment_type, destination):
        """Money moved without a payment transaction (a top-up received by hand,
        a payment or a refund made from code): an ``account.payment`` of the
        given journal.  Top-ups: Dr outstanding receipts / Cr Customer Wallet;
        wallet payments: Dr Customer Wallet / Cr receivable (refunds the
        reverse), since the Wallet journal's method lines book on the Customer
        Wallet."""
        method_lines = (
            journal.inbound_payment_method_line_ids
            if payment_type == "inbound"
            else journal.outbound_payment_method_line_ids
        )
        payment = (
            self.env["account.payment"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "payment_type": payment_type,
                    "partner_type": "customer",
                    "partner_id": self.partner_id.id,
                    "amount": self.amount,
                    "currency_id": self.currency_id.id,
                    "journal_id": journal.id,
                    "company_id": self.company_id.id,
                    "payment_method_line_id": method_lines[:1].id,
                    "destination_account_id": destination.id,
                    "memo": self._posting_label(),
                    **self._promo_payment_values(
                        self.partner_id,
                        self.company_id,
                        self.amount,
                        self.promo_amount,
                        inbound=payment_type == "inbound",
                    ),
                }
            )
        )
        payment.action_post()
        return payment

    @api.model
    def _promo_payment_values(self, partner, company, amount, promo_amount, inbound):
        """What makes a payment of ``amount`` book its promotional part on the
        Promotional Credit account, in the same journal entry: the payment
        itself is the cash part (on the Customer Wallet), and the
        promotional part is a line of its own, as core books an early-payment
        discount; the receivable line is the whole amount.  A wallet payment
        is then Dr Customer Wallet (cash) + Dr Promotional Credit / Cr
        receivable; a refund to the wallet the reverse."""
        if company.currency_id.is_zero(promo_amount):
            return {}
        promo_account, _promotions = company._wallet_promo_accounting()
        balance = promo_amount if inbound else -promo_amount
        return {
            "amount": company.currency_id.round(amount - promo_amount),
            "write_off_line_vals": [
                {
                    "name": _("Promotional credit"),
                    "account_id": promo_account.id,
                    "partner_id": partner.commercial_partner_id.id,
                    "currency_id": company.currency_id.id,
                    "amount_currency": balance,
                    "balance": balance,
                }
            ],
        }

    def _receivable_account(self):
        term_lines = self.invoice_id.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        return (
            term_lines[:1].account_id
            or self.partner_id.with_company(self.company_id).property_account_receivable_id
        )

    @api.model
    def _reconcile_invoices(self, payment, invoices):
        """Match a wallet payment with the invoices it pays (as account_payment does)."""
        invoices = invoices.filtered(lambda invoice: invoice.state == "posted")
        if not invoices:
            return
        (payment.move_id.line_ids + invoices.line_ids).filtered(
            lambda line: line.account_id == payment.destination_account_id and not line.reconciled
        ).reconcile()

    @api.model
    def _reconcile_receivables(self, payments):
        """Match what the given payments leave open on the receivable (a wallet
        payment and its refund, say), as far as they match."""
        lines = payments.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )
        if (
            len(lines.account_id) == 1
            and len(lines.partner_id) == 1
            and (lines.filtered("debit") and lines.filtered("credit"))
        ):
            lines.reconcile()

    def _post_between(self, journal, wallet_account, counterpart, amount=None):
        """A journal entry between a wallet account and ``counterpart``: a
        credit is Dr counterpart / Cr ``wallet_account``, a debit the
        reverse (an adjustment: the Customer Wallet against the manager's
        account; a promotion: Promotional Credit against Wallet Promotions)."""
        sign = -1 if self.direction == "credit" else 1
        amount = self.amount if amount is None else amount
        label = self._posting_label()
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(self.company_id)
            # Two balanced lines of a miscellaneous entry: nothing to track or
            # to synchronise with an invoice.
            .with_context(tracking_disable=True, skip_invoice_sync=True)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "partner_id": self.partner_id.id,
                    "ref": label,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": account.id,
                                "partner_id": self.partner_id.id,
                                "name": label,
                                "balance": line_sign * amount,
                            }
                        )
                        for account, line_sign in ((wallet_account, sign), (counterpart, -sign))
                    ],
                }
            )
        )
        move.action_post()
        return move

    @api.model
    def _post_expiries(self, company, lots):
        """One journal entry for the lots of ``company`` that expire now:
        Dr Promotional Credit, a line per customer / Cr Wallet Promotions."""
        promo_account, promotions_account = company._wallet_promo_accounting()
        _account, wallet_journal = company._wallet_accounting()
        label = _("Promotional credit expired")
        by_partner = {}
        for lot in lots:
            by_partner[lot.partner_id] = by_partner.get(lot.partner_id, 0.0) + lot.remaining
        lines = [
            Command.create(
                {
                    "account_id": promo_account.id,
                    "partner_id": partner.id,
                    "name": label,
                    "balance": company.currency_id.round(amount),
                }
            )
            for partner, amount in by_partner.items()
        ]
        lines.append(
            Command.create(
                {
                    "account_id": promotions_account.id,
                    "name": label,
                    "balance": -company.currency_id.round(sum(by_partner.values())),
                }
            )
        )
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": wallet_journal.id,
                    "ref": label,
                    "line_ids": lines,
                }
            )
        )
        move.action_post()
        return move

    def _post_promotion(self, wallet_journal):
        """Promotional credit granted or taken: Promotional Credit against
        Wallet Promotions."""
        promo_account, promotions_account = self.company_id._wallet_promo_accounting()
        move = self._post_between(wallet_journal, promo_account, promotions_account)
        return {"move_id": move.id}

    def _post_reversal(self, wallet_journal):
        """The reverse of the original posting.  When the original paid an
        invoice (or refunded a credit note), it is taken off that document and
        matched with its reversal, so the document is open again and the money
        can never be offered twice.  An expiry run books all its lots in one
        journal entry: the reversal of one lot's expiry is booked on its own,
        as a grant is."""
        if self.reversed_entry_id.kind == "expiry":
            return self._post_promotion(wallet_journal)
        original = self.reversed_entry_id.move_id.sudo()
        reopens_document = self.reversed_entry_id.kind in ("payment", "refund")
        reversal = original._reverse_moves(
            [{"ref": self._posting_label(), "date": fields.Date.context_today(self)}],
            cancel=reopens_document,
        )
        if reversal.state == "draft":
            reversal.action_post()
        return {"move_id": reversal.id}

    def _posting_label(self):
        return " - ".join(filter(None, [self.name, self.description]))
