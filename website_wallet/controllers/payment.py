# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)


class WalletPaymentController(http.Controller):
    @http.route("/payment/wallet/process", type="http", auth="user", methods=["POST"], website=True)
    def wallet_process(self, reference=None, **kwargs):
        """Pay a draft wallet transaction from the logged-in customer's wallet.

        Reached through the payment form's redirect form (CSRF-protected).  A
        transaction that is already done (a double click, a refresh) is only
        shown again: the ledger never debits it twice.
        """
        tx_sudo = (
            request.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", reference or ""), ("provider_code", "=", "wallet")])
        )
        if not tx_sudo or not request.website.wallet_enabled:
            raise NotFound()
        customer = request.env.user.partner_id.commercial_partner_id
        if tx_sudo.partner_id.commercial_partner_id != customer:
            _logger.warning(
                "user %s tried to pay wallet transaction %s of another customer",
                request.env.uid,
                tx_sudo.reference,
            )
            raise Forbidden()
        if tx_sudo.state == "draft" and not tx_sudo._wallet_pay():
            # Back to the payment form to choose another method, with the reason.
            request.session["wallet_payment_error"] = tx_sudo.state_message
            return request.redirect(tx_sudo._wallet_retry_url())
        return request.redirect("/payment/status")
