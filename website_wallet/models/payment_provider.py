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
        """Override of `payment`: the wallet refunds a payment, in full or in
        part, to itself."""
        result = super()._compute_feature_support_fields()
        self.filtered(lambda provider: provider.code == PROVIDER_CODE).support_refund = "partial"
        return result

    def _get_default_payment_method_codes(self):
        """Override of `payment` to return the wallet's payment method."""
        if self.code != PROVIDER_CODE:
            return super()._get_default_payment_method_codes()
        return DEFAULT_PAYMENT_METHOD_CODES

    def _inverse_journal_id(self):
        """Override of `payment`: a wallet payment moves money from the Customer
        Wallet liability: its
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
        """Override of `payment` to offer the wallet only where it can pay
        (tokenization and express checkout are already refused by the
        framework, since the wallet supports neither), and only cards for the
        rest of a split."""
        providers = super()._get_compatible_providers(*args, report=report, **kwargs)
        wallets = providers.filtered(lambda provider: provider.code == PROVIDER_CODE)
        if wallets and not self.env["website"].get_current_website().wallet_enabled:
            providers -= wallets  # a website without the wallet runs none of its rules
            payment_utils.add_to_report(
                report, wallets, available=False, reason=self._wallet_reason_text("disabled")
            )
            return providers
        if wallets and (refusal := wallets[:1]._wallet_form_refusal(*args, **kwargs)):
            providers -= wallets
            payment_utils.add_to_report(
                report, wallets, available=False, reason=self._wallet_reason_text(*refusal)
            )
        if self._wallet_split_in_use(*args, **kwargs):
            excluded = providers.filtered(
                lambda p: p.code == PROVIDER_CODE or p._wallet_pays_later()
            )
            providers -= excluded
            payment_utils.add_to_report(
                report, excluded, available=False, reason=self._wallet_reason_text("split")
            )
        return providers

    def _wallet_pays_later(self):
        """Whether the money arrives after the payment step (a wire transfer,
        paying on site): a wallet part held for the rest cannot wait for it."""
        return self.code == "custom"

    @api.model
    def _wallet_split_in_use(
        self, company_id, partner_id, amount, sale_order_id=None, invoice_id=None, **kwargs
    ):
        """Whether the customer pays this order or invoice partly from the
        wallet, on a page that offers it (see ``offer_split``)."""
        if not self.env.context.get("wallet_split_offered"):
            return False
        document = self._wallet_document_of(sale_order_id, invoice_id)
        if not document.wallet_use_balance:
            return False
        return document._wallet_split(self.env["res.partner"].browse(partner_id))["use"]

    @api.model
    def _wallet_document_of(self, sale_order_id=None, invoice_id=None):
        """The order or the invoice that a payment form pays, if any (the
        payment routes have checked that it exists)."""
        if sale_order_id:
            return self.env["sale.order"].sudo().browse(int(sale_order_id))
        return self.env["account.move"].sudo().browse(invoice_id and int(invoice_id))

    # ------------------------------------------------------------------
    # When the wallet can pay: one set of rules, for the form and the lock
    # ------------------------------------------------------------------

    def _wallet_refusal(self, documents, currency):
        """Why this wallet provider cannot pay ``documents`` in ``currency``, as
        ``(key of UNAVAILABLE_REASONS, values)``, or None.

        The payment form asks before it offers the wallet, and the wallet's
        payment asks again under the wallet's lock, where a second tab, a
        double submit or another route may have paid the documents meanwhile
        (``payment.transaction._wallet_check_debit``).
        """
        self.ensure_one()
        names = ", ".join(documents.mapped("name"))
        websites = documents.filtered(lambda doc: doc._name == "sale.order").website_id
        websites = websites or self.env["website"].get_current_website()
        if not all(websites.mapped("wallet_enabled")):
            return "disabled", {}
        if (
            self.state == "disabled"
            or not self.is_published
            or documents.company_id != self.company_id
        ):
            return "provider", {"document": names}
        wallet_currency = self.company_id.currency_id
        if (currency | documents.currency_id) != wallet_currency:
            return "currency", {"currency": wallet_currency.name}
        for document in documents:
            if reason := document._wallet_payable_refusal():
                return reason, {"document": document.name}
        return None

    def _wallet_form_refusal(
        self,
        company_id,
        partner_id,
        amount,
        currency_id=None,
        is_validation=False,
        sale_order_id=None,
        invoice_id=None,
        is_wallet_topup=False,
        **kwargs,
    ):
        """Why the payment form does not offer this wallet provider, as
        ``_wallet_refusal`` says it, or None.

        Besides the rules of any wallet payment, only the logged-in customer's
        own wallet is offered, for an order or an invoice (never a payment
        link with no document, a validation or a top-up), and only when the
        balance covers the least that the document asks for.
        """
        user = self.env.user
        partner = self.env["res.partner"].browse(partner_id)
        if (
            user._is_public()
            or partner.commercial_partner_id != user.partner_id.commercial_partner_id
        ):
            return "not_owner", {}
        if is_validation:
            return "validation", {}
        if is_wallet_topup:
            return "topup", {}
        document = self._wallet_document_of(sale_order_id, invoice_id)
        if not document:
            return "no_document", {}
        currency = self.env["res.currency"].browse(currency_id) or document.currency_id
        if refusal := self._wallet_refusal(document, currency):
            return refusal
        balance = partner.sudo().with_company(document.company_id).wallet_balance
        if document.currency_id.compare_amounts(balance, min(document._wallet_amounts_due())) < 0:
            return "balance", {}
        return None

    @api.model
    def _wallet_reason_text(self, reason, values=None):
        return str(UNAVAILABLE_REASONS[reason]) % (values or {})

    @api.model
    def _wallet_shortfall(
        self, partner_id, amount, report=None, sale_order_id=None, invoice_id=None
    ):
        """What a document's payment form shows when only the balance keeps the
        wallet out: the available balance, the amount needed and the missing
        amount; an empty dict when the wallet is offered or excluded for
        another reason.  ``report``: the form's availability report, which
        names the wallet provider it considered."""
        document = self._wallet_document_of(sale_order_id, invoice_id)
        if not document:
            return {}
        wallet = next(
            (
                provider
                for provider in (report or {}).get("providers", {})
                if provider.code == PROVIDER_CODE
            ),
            None,
        )
        if wallet is None and report is None:
            wallet = self.sudo().search(
                [
                    *self._check_company_domain(document.company_id),
                    ("code", "=", PROVIDER_CODE),
                    ("state", "in", ("enabled", "test")),
                    ("is_published", "=", True),
                ],
                limit=1,
            )
        refusal = wallet and wallet._wallet_form_refusal(
            document.company_id.id,
            partner_id,
            amount,
            currency_id=document.currency_id.id,
            sale_order_id=sale_order_id,
            invoice_id=invoice_id,
        )
        if not refusal or refusal[0] != "balance":
            return {}
        currency = document.company_id.currency_id
        partner = self.env["res.partner"].sudo().browse(partner_id)
        balance = partner.with_company(document.company_id).wallet_balance
        needed = min(document._wallet_amounts_due())
        missing = currency.round(needed - balance)
        return {
            "balance": balance,
            "amount": needed,
            "missing": missing,
            "missing_input": f"{missing:.{currency.decimal_places}f}",  # for Add Money's field
            "currency": currency,
        }
