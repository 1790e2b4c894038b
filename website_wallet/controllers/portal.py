# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from urllib.parse import urlsplit

from werkzeug.exceptions import NotFound

from odoo import _, http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment.controllers.portal import PaymentPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

HISTORY_STEP = 10
RECENT_COUNT = 5


class WalletPortal(PaymentPortal):
    """The shopper's wallet: balance, history, and top-ups through the payment form.

    Every route reads the wallet of the logged-in user's commercial partner and
    nothing else; records are read as superuser only once they are known to
    belong to that partner.
    """

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @staticmethod
    def _ensure_wallet_enabled():
        """Every wallet route starts here: a website with the wallet turned off
        answers them all with 404."""
        if not request.website.wallet_enabled:
            raise NotFound()

    def _wallet_partner(self):
        self._ensure_wallet_enabled()
        return request.env.user.partner_id.commercial_partner_id

    @staticmethod
    def _wallet_entries_domain(partner):
        return [("partner_id", "=", partner.id), ("company_id", "=", request.env.company.id)]

    def _wallet_values(self, **values):
        partner = self._wallet_partner()
        return {
            "partner": partner,
            "currency": request.env.company.currency_id,
            "balance": partner.wallet_balance,
            "pending": partner.wallet_pending,
            **values,
        }

    # ------------------------------------------------------------------
    # Portal home
    # ------------------------------------------------------------------

    # ------------------------------------------------------------------
    # My Wallet and its history
    # ------------------------------------------------------------------

    @http.route("/my/wallet", type="http", auth="user", website=True)
    def portal_my_wallet(self, **kwargs):
        partner = self._wallet_partner()
        Ledger = request.env["wallet.transaction"]
        domain = self._wallet_entries_domain(partner)
        recent = Ledger.search(domain, limit=RECENT_COUNT)
        # Only top-ups waiting for the merchant, not payments the shopper left.
        pending_topups = Ledger.search([*domain, ("state", "=", "pending")]).filtered(
            lambda entry: entry.sudo().payment_transaction_id.state == "pending"
        )
        values = self._wallet_values(
            page_name="wallet",
            rows=recent._portal_rows(partner.wallet_balance),
            pending_topups=pending_topups,
            has_more=Ledger.search_count(domain) > RECENT_COUNT,
        )
        return request.render("website_wallet.portal_my_wallet", values)

    @http.route(
        ["/my/wallet/transactions", "/my/wallet/transactions/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_wallet_transactions(self, page=1, **kwargs):
        partner = self._wallet_partner()
        Ledger = request.env["wallet.transaction"]
        domain = self._wallet_entries_domain(partner)
        total = Ledger.search_count(domain)
        last_page = max(1, -(-total // HISTORY_STEP))
        pager = portal_pager(
            url="/my/wallet/transactions",
            total=total,
            page=min(max(page, 1), last_page),  # past the end: the last page
            step=HISTORY_STEP,
        )
        entries = Ledger.search(domain, limit=HISTORY_STEP, offset=pager["offset"])
        balance_at_top = partner.wallet_balance - Ledger._signed_sum_of_newest(
            domain, pager["offset"]
        )
        values = self._wallet_values(
            page_name="wallet_history",
            pager=pager,
            rows=entries._portal_rows(balance_at_top),
        )
        return request.render("website_wallet.portal_my_wallet_transactions", values)

    # ------------------------------------------------------------------
    # Add Money
    # ------------------------------------------------------------------

    @http.route("/my/wallet/add", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_wallet_add(self, amount=None, return_url=None, **kwargs):
        """The Add Money form; a posted amount (CSRF-checked) goes to the payment step.

        ``return_url`` is where the shopper came from (a cart or an invoice that
        the wallet could not pay yet): the status page links back to it.
        """
        self._ensure_wallet_enabled()
        if request.httprequest.method != "POST":
            if self._is_local_url(return_url):
                request.session["wallet_return_url"] = return_url
            return self._render_wallet_add(amount=amount)
        value, error = request.website._wallet_parse_topup_amount(amount)
        if error:
            return self._render_wallet_add(amount=amount, error=error)
        digits = request.env.company.currency_id.decimal_places
        return request.redirect(f"/my/wallet/pay?amount={value:.{digits}f}")

    @staticmethod
    def _is_local_url(url):
        parsed = urlsplit(url or "")
        return bool(url) and url.startswith("/") and not parsed.scheme and not parsed.netloc

    def _render_wallet_add(self, amount=None, error=None):
        values = self._wallet_values(
            page_name="wallet_add",
            amount=amount or "",
            error=error,
            website=request.website,
            presets=request.website._wallet_topup_preset_amounts(),
        )
        return request.render("website_wallet.portal_wallet_add", values)

    @http.route("/my/wallet/pay", type="http", auth="user", website=True, methods=["GET"])
    def portal_wallet_pay(self, amount=None, **kwargs):
        """The payment step: Odoo's own payment form, for the top-up amount."""
        self._ensure_wallet_enabled()
        value, error = request.website._wallet_parse_topup_amount(amount)
        if error:
            return self._render_wallet_add(amount=amount, error=error)
        partner = request.env.user.partner_id
        company = request.env.company
        currency = company.currency_id
        report = {}
        providers_sudo = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                company.id,
                partner.id,
                value,
                currency_id=currency.id,
                report=report,
                is_wallet_topup=True,
            )
        )
        payment_methods_sudo = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(
                providers_sudo.ids, partner.id, currency_id=currency.id, report=report
            )
        )
        tokens_sudo = (
            request.env["payment.token"]
            .sudo()
            ._get_available_tokens(providers_sudo.ids, partner.id)
        )
        values = self._wallet_values(
            page_name="wallet_pay",
            amount=value,
            partner_id=partner.id,
            providers_sudo=providers_sudo,
            payment_methods_sudo=payment_methods_sudo,
            tokens_sudo=tokens_sudo,
            availability_report=report,
            show_tokenize_input_mapping=self._compute_show_tokenize_input_mapping(providers_sudo),
            transaction_route="/my/wallet/transaction",
            landing_route="/my/wallet/status",
            access_token=payment_utils.generate_access_token(partner.id, value, currency.id),
            submit_button_label=_("Add %(amount)s", amount=currency.format(value)),
        )
        return request.render("website_wallet.portal_wallet_pay", values)

    @http.route("/my/wallet/transaction", type="json", auth="user", website=True)
    def portal_wallet_transaction(self, amount, access_token, **kwargs):
        """Create the top-up's payment transaction and its pending ledger entry."""
        self._ensure_wallet_enabled()
        partner = request.env.user.partner_id
        company = request.env.company
        currency = company.currency_id
        value, error = request.website._wallet_parse_topup_amount(amount)
        if error:
            raise ValidationError(error)
        if not payment_utils.check_access_token(access_token, partner.id, value, currency.id):
            raise ValidationError(_("The access token is invalid."))
        self._validate_transaction_kwargs(kwargs)
        if kwargs.get("is_validation") or kwargs.get("flow") == "token":
            raise ValidationError(_("A wallet top-up must be paid, not saved."))
        provider_sudo = request.env["payment.provider"].sudo().browse(kwargs["provider_id"])
        compatible = provider_sudo._get_compatible_providers(
            company.id, partner.id, value, currency_id=currency.id, is_wallet_topup=True
        )
        if provider_sudo not in compatible:
            raise ValidationError(_("This payment method cannot be used to add money."))
        reference = request.env["wallet.transaction"]._next_reference(company)
        kwargs.update(landing_route="/my/wallet/status", tokenization_requested=False)
        tx_sudo = self._create_transaction(
            amount=value,
            currency_id=currency.id,
            partner_id=partner.id,
            reference_prefix=reference,
            **kwargs,
        )
        tx_sudo._wallet_open_topup(reference)
        self._update_landing_route(tx_sudo, access_token)
        return tx_sudo._get_processing_values()

    @http.route("/my/wallet/status", type="http", auth="user", website=True)
    def portal_wallet_status(self, tx_id=None, access_token=None, **kwargs):
        """Where the payment framework lands the shopper after paying a top-up."""
        tx_id = self._cast_as_int(tx_id)
        tx_sudo = request.env["payment.transaction"].sudo().browse(tx_id).exists()
        partner = self._wallet_partner()
        entry = tx_sudo and tx_sudo._wallet_topup_entry()
        if not entry or entry.partner_id != partner:
            raise NotFound()
        if not payment_utils.check_access_token(
            access_token, tx_sudo.partner_id.id, tx_sudo.amount, tx_sudo.currency_id.id
        ):
            raise NotFound()
        return_url = (
            request.session.pop("wallet_return_url", None) if tx_sudo.state == "done" else None
        )
        values = self._wallet_values(
            page_name="wallet_status", tx=tx_sudo, entry=entry, return_url=return_url
        )
        return request.render("website_wallet.portal_wallet_status", values)
