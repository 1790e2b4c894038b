# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models

from odoo.addons.payment import utils as payment_utils


class PaymentProvider(models.Model):
    """The wallet as a payment provider: an instant, internal payment."""

    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[("wallet", "Wallet")], ondelete={"wallet": "set default"}
    )

    def _get_default_payment_method_codes(self):
        if self.code != "wallet":
            return super()._get_default_payment_method_codes()
        return {"wallet"}

    @api.model
    def _get_compatible_providers(
        self,
        company_id,
        partner_id,
        amount,
        currency_id=None,
        force_tokenization=False,
        is_express_checkout=False,
        is_validation=False,
        report=None,
        **kwargs,
    ):
        providers = super()._get_compatible_providers(
            company_id,
            partner_id,
            amount,
            currency_id=currency_id,
            force_tokenization=force_tokenization,
            is_express_checkout=is_express_checkout,
            is_validation=is_validation,
            report=report,
            **kwargs,
        )
        wallets = providers.filtered(lambda provider: provider.code == "wallet")
        if not wallets:
            return providers
        # Tokenization and express checkout are already refused by the framework,
        # since the wallet supports neither feature.
        reason = self._wallet_unavailable_reason(
            company_id, partner_id, amount, currency_id, is_validation=is_validation, **kwargs
        )
        if reason:
            providers -= wallets
            payment_utils.add_to_report(report, wallets, available=False, reason=reason)
        return providers

    @api.model
    def _wallet_unavailable_reason(
        self, company_id, partner_id, amount, currency_id, is_validation=False, **kwargs
    ):
        """Why the wallet cannot pay here, or None when it can.

        Only the logged-in customer's own wallet pays, in the company currency,
        for a real payment (not a validation, a token or express checkout) that
        is not itself a top-up, and only when the balance covers the amount.
        """
        user = self.env.user
        partner = self.env["res.partner"].browse(partner_id)
        company = self.env["res.company"].browse(company_id)
        if not self.env["website"].get_current_website().wallet_enabled:
            return _("the wallet is turned off on this website")
        if (
            user._is_public()
            or partner.commercial_partner_id != user.partner_id.commercial_partner_id
        ):
            return _("only a logged-in customer pays with their own wallet")
        if currency_id and currency_id != company.currency_id.id:
            return _("the wallet holds %(currency)s only", currency=company.currency_id.name)
        if is_validation:
            return _("the wallet only makes payments")
        if kwargs.get("is_wallet_topup"):
            return _("a wallet cannot pay its own top-up")
        balance = partner.sudo().with_company(company).wallet_balance
        if company.currency_id.compare_amounts(balance, amount) < 0:
            return _("insufficient wallet balance")
        return None

    @api.model
    def _wallet_shortfall(self, partner_id, amount, currency):
        """What the payment form shows when only the balance keeps the wallet out.

        Returns the available balance, the amount and the missing amount, or
        an empty dict when the wallet is offered or excluded for another reason.
        """
        company = self.env.company
        wallet = self.sudo().search(
            [
                *self._check_company_domain(company),
                ("code", "=", "wallet"),
                ("state", "in", ("enabled", "test")),
                ("is_published", "=", True),
            ],
            limit=1,
        )
        if not wallet or not amount:
            return {}
        partner = self.env["res.partner"].browse(partner_id)
        balance = partner.sudo().with_company(company).wallet_balance
        if company.currency_id.compare_amounts(balance, amount) >= 0:
            return {}
        with_balance = self._wallet_unavailable_reason(company.id, partner_id, balance, currency.id)
        if with_balance:  # excluded whatever the balance
            return {}
        currency = company.currency_id
        missing = currency.round(amount - balance)
        return {
            "balance": balance,
            "amount": amount,
            "missing": missing,
            "missing_input": f"{missing:.{currency.decimal_places}f}",  # for Add Money's field
            "currency": currency,
        }
