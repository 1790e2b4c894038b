# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import math
from urllib.parse import urlencode, urlsplit

from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from odoo import _, fields, http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment.controllers.portal import PaymentPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..const import HISTORY_STEP, RECENT_COUNT

STATEMENT_REPORT = "report.website_wallet.report_wallet_statement"


def is_local_url(url):
    """Whether ``url`` is a path of this site, and nothing a browser would read
    as another host: ``//host``, ``/\\host``, ``\\\\host``, a scheme, or any of
    these hidden behind whitespace or control characters that browsers drop."""
    if not url or not url.startswith("/") or "\\" in url:
        return False
    if any(char.isspace() or ord(char) < 32 for char in url):
        return False
    parsed = urlsplit(url)
    return not url.startswith("//") and not parsed.scheme and not parsed.netloc


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
            "held": partner.wallet_held,
            **values,
        }

    # ------------------------------------------------------------------
    # Portal home
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        """Override of `portal`: the Wallet card of the portal home shows the
        available balance.  The
        badge counters (``counters`` not empty) are JSON and need none of it."""
        values = super()._prepare_home_portal_values(counters)
        if not counters and request.website.wallet_enabled:
            values["wallet"] = self._wallet_values()
        return values

    # ------------------------------------------------------------------
    # My Wallet and its history
    # ------------------------------------------------------------------

    @http.route("/my/wallet", type="http", auth="user", website=True)
    def portal_my_wallet(self, **kwargs):
        return self._render_my_wallet(auto_topup_saved=bool(kwargs.get("auto_topup_saved")))

    def _render_my_wallet(self, **extra):
        partner = self._wallet_partner()
        Ledger = request.env["wallet.transaction"]
        domain = self._wallet_entries_domain(partner)
        recent = Ledger.search(domain, limit=RECENT_COUNT)
        # Only top-ups waiting for the merchant, not payments the shopper left.
        pending_topups = Ledger.sudo().search(
            [*domain, ("state", "=", "pending"), ("payment_transaction_id.state", "=", "pending")]
        )
        rule = self._wallet_topup_rule(partner)
        statement_from, statement_to = request.env[STATEMENT_REPORT]._statement_period()
        values = self._wallet_values(
            page_name="wallet",
            statement_from=fields.Date.to_string(statement_from),
            statement_to=fields.Date.to_string(statement_to),
            rows=recent._portal_rows(partner.wallet_balance + partner.wallet_held),
            pending_topups=pending_topups,
            pending_topups_total=sum(pending_topups.mapped("amount")),
            has_more=Ledger.search_count(domain) > RECENT_COUNT,
            topup_rule=rule,
            topup_tokens=self._wallet_topup_tokens(),
            topup_form=extra.pop("auto_topup_post", None) or self._topup_form_values(rule),
            alert_placeholder=_("No alert"),
            **extra,
        )
        return request.render("website_wallet.portal_my_wallet", values)

    # ------------------------------------------------------------------
    # Automatic top-up
    # ------------------------------------------------------------------

    @staticmethod
    def _wallet_topup_rule(partner):
        return (
            request.env["wallet.topup.rule"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("company_id", "=", request.env.company.id)])
        )

    @staticmethod
    def _wallet_topup_tokens():
        """The logged-in customer's own saved payment methods that can pay
        automatic top-ups (what the portal's payment methods page lists)."""
        return (
            request.env["payment.token"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", request.env.user.partner_id.id),
                    ("company_id", "=", request.env.company.id),
                    ("provider_id.allow_tokenization", "=", True),
                    ("provider_id.state", "in", ("enabled", "test")),
                ]
            )
        )

    @staticmethod
    def _topup_form_values(rule):
        """The automatic top-up form as the customer last saved it."""
        digits = request.env.company.currency_id.decimal_places

        def amount(value):
            return f"{value:.{digits}f}" if value else ""

        return {
            "enabled": rule.enabled,
            "trigger": rule.trigger or "threshold",
            "monthly_day": str(rule.monthly_day or 1),
            "threshold": amount(rule.threshold),
            "top_up_mode": rule.top_up_mode or "fixed",
            "amount": amount(rule.amount),
            "target": amount(rule.target),
            "token_id": str(rule.token_id.id or ""),
            "monthly_cap": amount(rule.monthly_cap),
            "alert_threshold": amount(rule.alert_threshold),
        }

    @http.route("/my/wallet/auto-topup", type="http", auth="user", website=True, methods=["POST"])
    def portal_wallet_auto_topup(self, **post):
        """Save the customer's automatic top-up (CSRF-checked): always their
        own wallet's, from one of their own saved payment methods."""
        partner = self._wallet_partner()
        rule = self._wallet_topup_rule(partner)
        values, error = self._parse_topup_rule(post)
        if not error and set(values) - {"alert_threshold", "website_id"}:
            error = self._check_rule_owner(rule)
        if not error:
            try:
                with request.env.cr.savepoint():
                    if rule:
                        rule.write(values)
                    else:
                        rule.create(
                            {
                                **values,
                                "partner_id": partner.id,
                                "company_id": request.env.company.id,
                            }
                        )
            except ValidationError as validation:
                error = validation.args[0]
        if error:
            return self._render_my_wallet(auto_topup_error=error, auto_topup_post=post)
        return request.redirect("/my/wallet?auto_topup_saved=1#wallet_auto_topup")

    @staticmethod
    def _check_rule_owner(rule):
        """The top-up charges the card of the contact who set it up: another
        contact of the same company may not change it (they set their alert
        only)."""
        owner = rule.token_id.partner_id
        if rule.enabled and owner and owner != request.env.user.partner_id:
            return _(
                "%(name)s set up this automatic top-up with their card: only they can change it.",
                name=owner.name,
            )
        return None

    def _parse_topup_rule(self, post):
        """The rule's values from the posted form, or what is wrong with it.
        A customer with no saved card only sees, and posts, the alert."""
        names = ("threshold", "amount", "target", "monthly_cap", "alert_threshold")
        if "top_up_mode" not in post:
            names = ("alert_threshold",)
        values = {"website_id": request.website.id}
        amounts = {}
        for name in names:
            raw = (post.get(name) or "").strip()
            try:
                amounts[name] = float(raw) if raw else 0.0
            except ValueError:
                return values, _("Enter the amounts as numbers, for example 20.00.")
            if not math.isfinite(amounts[name]) or amounts[name] < 0:
                return values, _("Enter the amounts as numbers, for example 20.00.")
        values.update(amounts)
        if "top_up_mode" not in post:
            return values, None
        enabled = bool(post.get("enabled"))
        values["enabled"] = enabled
        mode = post.get("top_up_mode")
        if mode not in ("fixed", "target"):
            return values, _("Choose how much to add.")
        values["top_up_mode"] = mode
        trigger = post.get("trigger", "threshold")
        if trigger not in ("threshold", "monthly"):
            return values, _("Choose when to top up.")
        values["trigger"] = trigger
        try:
            values["monthly_day"] = int(post.get("monthly_day") or 1)
        except ValueError:
            return values, _("Choose a day of the month from 1 to 28.")
        token_id = self._cast_as_int(post.get("token_id"))
        tokens = self._wallet_topup_tokens()
        if token_id and token_id not in tokens.ids:
            return values, _("This payment method cannot be used for automatic top-ups.")
        values["token_id"] = token_id or False
        if enabled:
            values.update(failure_count=0, off_reason=False)
        return values, None

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
        # The portal pager shows the last page for a page past the end.
        pager = portal_pager(
            url="/my/wallet/transactions",
            total=Ledger.search_count(domain),
            page=page,
            step=HISTORY_STEP,
        )
        entries = Ledger.search(domain, limit=HISTORY_STEP, offset=pager["offset"])
        balance_at_top = partner.wallet_balance + partner.wallet_held
        balance_at_top -= Ledger._signed_sum_of_newest(domain, pager["offset"])
        values = self._wallet_values(
            page_name="wallet_history",
            pager=pager,
            rows=entries._portal_rows(balance_at_top),
        )
        return request.render("website_wallet.portal_my_wallet_transactions", values)

    @http.route("/my/wallet/statement", type="http", auth="user", website=True)
    def portal_my_wallet_statement(self, date_from=None, date_to=None, **kwargs):
        """The customer's statement as a PDF, through the portal's report helper.

        It is always the logged-in customer's own wallet: no record id is
        taken from the request, and the report checks it again.
        """
        partner = self._wallet_partner()
        try:
            period = [fields.Date.to_date(date_from), fields.Date.to_date(date_to)]
        except ValueError:
            period = [None, None]
        if not all(period) or period[0] > period[1]:
            raise BadRequest(_("Choose a start date on or before the end date."))
        request.update_context(
            wallet_statement_from=fields.Date.to_string(period[0]),
            wallet_statement_to=fields.Date.to_string(period[1]),
            wallet_statement_company_id=request.env.company.id,
        )
        return self._show_report(
            partner.sudo(),
            "pdf",
            "website_wallet.action_report_wallet_statement",
            download=True,
        )

    # ------------------------------------------------------------------
    # Add Money
    # ------------------------------------------------------------------

    @http.route("/my/wallet/add", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_wallet_add(self, amount=None, return_url=None, **kwargs):
        """The Add Money form; a posted amount (CSRF-checked) goes to Odoo's
        own payment page (``/payment/pay``), for a wallet top-up.

        ``return_url`` is where the shopper came from (a cart or an invoice that
        the wallet could not pay yet): the status page links back to it.
        """
        self._ensure_wallet_enabled()
        if request.httprequest.method != "POST":
            if is_local_url(return_url):
                request.session["wallet_return_url"] = return_url
            return self._render_wallet_add(amount=amount)
        value, error = request.website._wallet_parse_topup_amount(amount)
        if error:
            return self._render_wallet_add(amount=amount, error=error)
        partner = request.env.user.partner_id
        company = request.env.company
        currency = company.currency_id
        query = urlencode(
            {
                "amount": f"{value:.{currency.decimal_places}f}",
                "currency_id": currency.id,
                "partner_id": partner.id,
                "company_id": company.id,
                "access_token": payment_utils.generate_access_token(partner.id, value, currency.id),
                "is_wallet_topup": 1,
            }
        )
        return request.redirect(f"/payment/pay?{query}")

    def _render_wallet_add(self, amount=None, error=None):
        currency = request.env.company.currency_id
        values = self._wallet_values(
            page_name="wallet_add",
            amount=amount or "",
            error=error,
            website=request.website,
            presets=[
                (preset, f"{preset:.{currency.decimal_places}f}")
                for preset in request.website._wallet_topup_preset_amounts()
            ],
        )
        return request.render("website_wallet.portal_wallet_add", values)

    def _get_payment_page_template_xmlid(self, is_wallet_topup=False, **kwargs):
        """Override of `payment`: a top-up's payment page is My Wallet's Add Money."""
        if is_wallet_topup:
            return "website_wallet.portal_wallet_pay"
        return super()._get_payment_page_template_xmlid(**kwargs)

    @http.route("/my/wallet/transaction", type="json", auth="user", website=True)
    def portal_wallet_transaction(self, amount, access_token, **kwargs):
        """Create the top-up's payment transaction; it opens its pending entry."""
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
        if kwargs.get("is_validation"):
            raise ValidationError(_("A wallet top-up must be paid, not saved."))
        provider_sudo = request.env["payment.provider"].sudo().browse(kwargs["provider_id"])
        compatible = provider_sudo._get_compatible_providers(
            company.id,
            partner.id,
            value,
            currency_id=currency.id,
            is_wallet_topup=True,
            website_id=request.website.id,
        )
        if provider_sudo not in compatible:
            raise ValidationError(_("This payment method cannot be used to add money."))
        # A saved payment method pays like any other (the framework checks it
        # is the customer's), and Save my payment details saves one for
        # automatic top-ups.
        kwargs["landing_route"] = "/my/wallet/status"
        tx_sudo = self._create_transaction(
            amount=value,
            currency_id=currency.id,
            partner_id=partner.id,
            custom_create_values={"is_wallet_topup": True},
            **kwargs,
        )
        self._update_landing_route(tx_sudo, access_token)
        return tx_sudo._get_processing_values()

    @http.route("/my/wallet/status", type="http", auth="user", website=True)
    def portal_wallet_status(self, tx_id=None, access_token=None, **kwargs):
        """Where the payment framework lands the shopper after paying a top-up."""
        partner = self._wallet_partner()
        tx_sudo = request.env["payment.transaction"].sudo().browse(self._cast_as_int(tx_id))
        tx_sudo = tx_sudo.exists()
        if not (
            tx_sudo.is_wallet_topup
            and tx_sudo.partner_id.commercial_partner_id == partner
            and payment_utils.check_access_token(
                access_token, tx_sudo.partner_id.id, tx_sudo.amount, tx_sudo.currency_id.id
            )
        ):
            raise NotFound()
        return_url = (
            request.session.pop("wallet_return_url", None) if tx_sudo.state == "done" else None
        )
        values = self._wallet_values(
            page_name="wallet_status",
            tx=tx_sudo,
            entry=tx_sudo.wallet_transaction_ids.filtered(lambda entry: entry.kind == "topup")[-1:],
            return_url=return_url,
        )
        return request.render("website_wallet.portal_wallet_status", values)

    # ------------------------------------------------------------------
    # Payment forms of documents: the wallet's shortfall
    # ------------------------------------------------------------------

    def _get_extra_payment_form_values(self, is_wallet_topup=False, **kwargs):
        """Override of `payment`.  A wallet top-up's payment page (Add Money)
        creates its transaction through the wallet's route, lands on the
        wallet's status page and never offers the wallet itself (see
        ``payment.provider._wallet_form_refusal``); a payment link of an order
        or an invoice shows the wallet's shortfall as the other payment pages
        do."""
        values = super()._get_extra_payment_form_values(**kwargs)
        if is_wallet_topup:
            return {**values, **self._wallet_topup_form_values(kwargs.get("amount"))}
        document = {
            key: self._cast_as_int(kwargs.get(key))
            for key in ("sale_order_id", "invoice_id")
            if kwargs.get(key)
        }
        if document and kwargs.get("amount") and kwargs.get("partner_id"):
            values["wallet_shortfall"] = request.env["payment.provider"]._wallet_shortfall(
                kwargs["partner_id"],
                kwargs["amount"],
                report=kwargs.get("availability_report"),
                **document,
            )
        return values

    def _wallet_topup_form_values(self, amount):
        if request.env.user._is_public():
            raise Forbidden()
        value, error = request.website._wallet_parse_topup_amount(amount)
        if error:
            raise BadRequest(error)
        currency = request.env.company.currency_id
        return self._wallet_values(
            page_name="wallet_pay",
            transaction_route="/my/wallet/transaction",
            landing_route="/my/wallet/status",
            submit_button_label=_("Add %(amount)s", amount=currency.format(value)),
        )
