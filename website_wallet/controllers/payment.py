# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from ..const import PROVIDER_CODE

_logger = logging.getLogger(__name__)


class WalletController(http.Controller):
    _process_url = "/payment/wallet/process"

    @http.route(_process_url, type="http", auth="user", methods=["POST"], website=True)
    def wallet_process(self, **data):
        """Pay a draft wallet transaction from the logged-in customer's wallet.

        Reached through the payment form's redirect form (CSRF-protected).  As
        for any provider, the framework finds the transaction and processes it
        (``_get_tx_from_notification_data`` checks that it is the customer's
        own); the status page then shows the outcome, and a refused payment
        sends the shopper back to the page they paid from with its reason.
        """
        # As providers log their notifications; the CSRF token stays out of the log.
        _logger.info("Handling wallet payment %s", data.get("reference"))
        if not request.website.wallet_enabled:
            raise NotFound()
        # Take the customer's wallet lock first, before any work: a concurrent
        # payment from the same wallet (a second tab, a double click) is then
        # waited for, not redone after Odoo's retry pause.
        request.env["wallet.balance"]._lock_before_any_write(
            request.env.user.partner_id.commercial_partner_id, request.website.company_id
        )
        request.env["payment.transaction"].sudo()._handle_notification_data(PROVIDER_CODE, data)
        return request.redirect("/payment/status")
