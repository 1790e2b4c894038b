# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.payment import utils as payment_utils

from ..const import (
    DEFAULT_PAYMENT_METHOD_CODES,
    PROVIDER_CODE,
    UNAVAILABLE_REASONS,
)


class PaymentProvider(models.Model):
    """The wallet as a payment provider: an instant, internal payment."""

    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[(PROVIDER_CODE, "Wallet")], ondelete={PROVIDER_CODE: "set default"}
    )

    def _compute_feature_support_fields(self):
        """The wallet refunds a payment, in full or in part, to itself."""
        result = super()._compute_feature_support_fields()
        self.filtered(lambda provider: provider.code == PROVIDER_CODE).support_refund = "partial"
        return result

    def _get_default_payment_method_codes(self):
        if self.code != PROVIDER_CODE:
            return super()._get_default_payment_method_codes()
        return DEFAULT_PAYMENT_METHOD_CODES

    def _inverse_journal_id(self):
        """A wallet payment moves money from the Customer Wallet liability: its
        provider books in the company's Wallet journal, whose method lines post
        on that account, and nowhere else (Settings chooses that journal)."""
        for provider in self.filtered(lambda provider: provider.code == PROVIDER_CODE):
            wallet_journal = provider.company_id.sudo().wallet_journal_id
            if wallet_journal and provider.journal_id != wallet_journal:
                raise UserError(
                    _(
                        "The Wallet provider books in the Wallet journal (%(journal)s);"
                        " choose another one in the Wallet settings.",
                        journal=wallet_journal.display_name,
                    )
                )
        return super()._inverse_journal_id()

    @api.model
    def _get_compatible_providers(self, *args, report=None, **kwargs):
        """Offer the wallet only where it can pay (tokenization and express
        checkout are already refused by the framework, since the wallet
        supports neither)."""
        providers = super()._get_compatible_providers(*args, report=report, **kwargs)
        wallets = providers.filtered(lambda provider: provider.code == PROVIDER_CODE)
        if wallets and (reason := self._wallet_unavailable_reason(*args, **kwargs)):
            providers -= wallets
            payment_utils.add_to_report(
                report, wallets, available=False, reason=self._wallet_reason_text(reason, *args)
            )
        if self._wallet_split_in_use(*args, **kwargs):
            # The wallet pays its part; the rest cannot wait days for a transfer.
            excluded = providers.filtered(lambda p: p.code in (PROVIDER_CODE, "custom"))
            providers -= excluded
            payment_utils.add_to_report(
                report, excluded, available=False, reason=str(UNAVAILABLE_REASONS["split"])
            )
        return providers

    @api.model
    def _wallet_split_in_use(
        self, company_id, partner_id, amount, sale_order_id=None, invoice_id=None, **kwargs
    ):
        """Whether the customer pays this order or invoice partly from the
        wallet, on a page that offers it (see ``offer_split``)."""
        if not self.env.context.get("wallet_split_offered"):
            return False
        document = self.env["sale.order"].sudo().browse(sale_order_id).exists()
        document = document or self.env["account.move"].sudo().browse(invoice_id).exists()
        if not document.wallet_use_balance:
            return False
        return document._wallet_split(self.env["res.partner"].browse(partner_id))["use"]

    @api.model
    def _wallet_unavailable_reason(
        self,
        company_id,
        partner_id,
        amount,
        currency_id=None,
        is_validation=False,
        website_id=None,
        sale_order_id=None,
        invoice_id=None,
        is_wallet_topup=False,
        **kwargs,
    ):
        """Why the wallet cannot pay here (a key of ``UNAVAILABLE_REASONS``), or None.

        Only the logged-in customer's own wallet pays, on a website where the
        wallet is on, in the company currency, an order or an invoice (never a
        payment link with no document, a validation or a top-up), and only
        when the balance covers what the document asks for.
        """
        user = self.env.user
        partner = self.env["res.partner"].browse(partner_id)
        company = self.env["res.company"].browse(company_id)
        website = (
            self.env["website"].browse(website_id)
            if website_id
            else self.env["website"].get_current_website()
        )
        if not website.wallet_enabled:
            return "disabled"
        if (
            user._is_public()
            or partner.commercial_partner_id != user.partner_id.commercial_partner_id
        ):
            return "not_owner"
        if is_validation:
            return "validation"
        if is_wallet_topup:
            return "topup"
        if not (sale_order_id or invoice_id):
            return "no_document"
        if currency_id and currency_id != company.currency_id.id:
            return "currency"
        balance = partner.sudo().with_company(company).wallet_balance
        needed = self._wallet_amount_needed(amount, invoice_id)
        if company.currency_id.compare_amounts(balance, needed) < 0:
            return "balance"
        return None

    @api.model
    def _wallet_reason_text(self, reason, company_id, *args):
        currency = self.env["res.company"].browse(company_id).currency_id
        return str(UNAVAILABLE_REASONS[reason]) % {"currency": currency.name}

    @api.model
    def _wallet_amount_needed(self, amount, invoice_id=None):
        """The least the wallet must hold to pay: the amount asked, or for an
        invoice the smallest amount its page offers (an installment, the
        early-payment amount, the residual), which is less than the total that
        the invoice page passes as the amount."""
        invoice = self.env["account.move"].sudo().browse(invoice_id).exists()
        if not invoice:
            return amount
        next_payment = invoice._get_invoice_next_payment_values()
        offered = [
            next_payment.get("next_amount_to_pay"),
            next_payment.get("amount_due"),
            invoice.amount_residual,
        ]
        return min(value for value in offered if value)

    @api.model
    def _wallet_shortfall(self, partner_id, amount, sale_order_id=None, invoice_id=None):
        """What a document's payment form shows when only the balance keeps the
        wallet out: the available balance, the amount needed and the missing
        amount; an empty dict when the wallet is offered or excluded for
        another reason."""
        document = self.env["sale.order"].sudo().browse(sale_order_id).exists()
        document = document or self.env["account.move"].sudo().browse(invoice_id).exists()
        company = document.company_id
        if not company or not self.sudo().search_count(
            [
                *self._check_company_domain(company),
                ("code", "=", PROVIDER_CODE),
                ("state", "in", ("enabled", "test")),
                ("is_published", "=", True),
            ],
            limit=1,
        ):
            return {}
        reason = self._wallet_unavailable_reason(
            company.id,
            partner_id,
            amount,
            currency_id=document.currency_id.id,
            sale_order_id=sale_order_id,
            invoice_id=invoice_id,
        )
        if reason != "balance":
            return {}
        currency = company.currency_id
        balance = self.env["res.partner"].sudo().browse(partner_id).with_company(company)
        balance = balance.wallet_balance
        needed = self._wallet_amount_needed(amount, invoice_id)
        missing = currency.round(needed - balance)
        return {
            "balance": balance,
            "amount": needed,
            "missing": missing,
            "missing_input": f"{missing:.{currency.decimal_places}f}",  # for Add Money's field
            "currency": currency,
        }
