# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from werkzeug.exceptions import Forbidden, NotFound

from odoo import _, http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.sale.controllers.portal import CustomerPortal as SaleCustomerPortal
from odoo.addons.website_sale.controllers.main import WebsiteSale


def wallet_shortfall(partner_id, amount, **document):
    return request.env["payment.provider"]._wallet_shortfall(partner_id, amount, **document)


def wallet_split_values(document, partner, route, access_token=None):
    """The split toggle of a document's payment form: shown when the wallet
    holds something but less than what is due."""
    split = document._wallet_split(partner)
    if not split["applies"]:
        return {}
    return {"wallet_split": {**split, "route": route, "access_token": access_token}}


def set_wallet_split(document, use):
    """Store the customer's choice on the document (never trusted afterwards
    from the browser) and say what each part pays."""
    if not request.website.wallet_enabled:
        raise NotFound()
    partner = request.env.user.partner_id
    if document.partner_id.commercial_partner_id != partner.commercial_partner_id:
        raise Forbidden()
    document = document.sudo()
    document.wallet_use_balance = bool(use) and document._wallet_split(partner)["applies"]
    if not document.wallet_use_balance:
        document._wallet_release_holds()
    split = document._wallet_split(partner)
    return {
        "use": split["use"],
        "wallet_amount": split["wallet_amount"],
        "remaining_amount": split["remaining_amount"],
    }


class WalletWebsiteSale(WebsiteSale):
    @http.route("/shop/payment/wallet", type="json", auth="user", website=True, methods=["POST"])
    def shop_payment_wallet(self, use=False, **kwargs):
        """Pay the cart partly from the wallet and the rest otherwise, or not."""
        order = request.website.sale_get_order()
        if not order:
            raise ValidationError(_("Your cart is empty."))
        return set_wallet_split(order, use)

    def _get_shop_payment_values(self, order, **kwargs):
        """The shop's payment step shows the wallet's shortfall, the split
        toggle, and why the last wallet payment of this cart was refused
        (another tab spent the money, say): the shopper returns here after it.

        With the split on, the form is built for the rest, and it posts to the
        order's own transaction route, the core route that pays an order in
        part (the shop's route accepts the whole total only)."""
        values = super()._get_shop_payment_values(order, **kwargs)
        partner = request.env["res.partner"].browse(values["partner_id"])
        values["wallet_shortfall"] = wallet_shortfall(
            partner.id, values["amount"], sale_order_id=order.id
        )
        values.update(wallet_split_values(order, partner, "/shop/payment/wallet"))
        if values.get("wallet_split", {}).get("use"):
            values.update(
                amount=values["wallet_split"]["remaining_amount"],
                transaction_route=order.get_portal_url(suffix="/transaction"),
            )
        last_transaction = order.get_portal_last_transaction()
        if last_transaction.provider_code == "wallet" and last_transaction.state == "error":
            values["wallet_payment_error"] = last_transaction.state_message
        return values


class WalletSaleOrderPortal(SaleCustomerPortal):
    def _get_payment_values(self, order_sudo, downpayment=False, **kwargs):
        """An order's portal page shows the wallet's shortfall."""
        values = super()._get_payment_values(order_sudo, downpayment=downpayment, **kwargs)
        values["wallet_shortfall"] = wallet_shortfall(
            values["partner_id"], values["amount"], sale_order_id=order_sudo.id
        )
        return values


class WalletInvoicePortal(PortalAccount):
    @http.route(
        "/my/invoices/<int:invoice_id>/wallet",
        type="json",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_invoice_wallet(self, invoice_id, use=False, access_token=None, **kwargs):
        """Pay the invoice partly from the wallet and the rest otherwise, or not."""
        invoice = self._document_check_access("account.move", invoice_id, access_token)
        return set_wallet_split(invoice, use)

    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        """An invoice's Pay Now dialog offers the wallet for that invoice: the
        invoice is named to the provider filter (which the core page leaves
        out, leaving only a total amount), and the shortfall and the split
        toggle are shown; with the split on, the form pays the rest."""
        values = super()._invoice_get_page_view_values(
            invoice, access_token, invoice_id=invoice.id, **kwargs
        )
        if not values.get("partner_id"):
            return values
        partner = request.env["res.partner"].browse(values["partner_id"])
        values["wallet_shortfall"] = wallet_shortfall(
            partner.id, invoice.amount_residual, invoice_id=invoice.id
        )
        values.update(
            wallet_split_values(
                invoice, partner, f"/my/invoices/{invoice.id}/wallet", invoice.access_token
            )
        )
        if values.get("wallet_split", {}).get("use"):
            values["wallet_form_amount"] = values["wallet_split"]["remaining_amount"]
        return values
