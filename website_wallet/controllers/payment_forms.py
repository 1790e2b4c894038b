# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from werkzeug.exceptions import Forbidden, NotFound

from odoo import _, http
from odoo.exceptions import ValidationError
from odoo.http import request, route

from odoo.addons.account_payment.controllers import payment as account_payment_payment
from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.sale.controllers.portal import CustomerPortal as SaleCustomerPortal
from odoo.addons.website_sale.controllers import payment as website_sale_payment
from odoo.addons.website_sale.controllers.main import WebsiteSale

from ..const import PROVIDER_CODE


def wallet_shortfall(values, **document):
    """The wallet's shortfall on a payment form whose ``values`` (partner,
    amount, availability report) core computed."""
    return request.env["payment.provider"]._wallet_shortfall(
        values["partner_id"], values["amount"], report=values.get("availability_report"), **document
    )


def offer_split():
    """The pages that show the split toggle (the shop's payment step, an
    invoice's Pay Now dialog) and their transaction routes apply the
    customer's stored choice; elsewhere (an order's own page, a payment link)
    the document is paid as usual, whatever was chosen."""
    request.update_context(wallet_split_offered=True)


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
        """Override of `website_sale` to show the wallet's shortfall, the split
        toggle, and why the last wallet payment of this cart was refused
        (another tab spent the money, say): the shopper returns here after it.

        With the split on, the form is built for the rest; it posts to the
        shop's own transaction route, with its checks (see
        ``WalletShopPayment``)."""
        offer_split()
        values = super()._get_shop_payment_values(order, **kwargs)
        if not request.website.wallet_enabled:
            return values
        partner = request.env["res.partner"].browse(values["partner_id"])
        values["wallet_shortfall"] = wallet_shortfall(values, sale_order_id=order.id)
        values.update(wallet_split_values(order, partner, "/shop/payment/wallet"))
        if values.get("wallet_split", {}).get("use"):
            # The wallet pays its part: no shortfall to show beside it.
            values.update(amount=values["wallet_split"]["remaining_amount"], wallet_shortfall={})
        last_transaction = order.get_portal_last_transaction()
        if last_transaction.provider_code == PROVIDER_CODE and last_transaction.state == "error":
            values["wallet_payment_error"] = last_transaction.state_message
        return values


class WalletShopPayment(website_sale_payment.PaymentPortal):
    @route()
    def shop_payment_transaction(self, order_id, access_token, **kwargs):
        """Override of `website_sale` to pay the rest of a split through the
        shop's own route, so that every check it runs before taking money
        (``_check_cart_is_ready_to_be_paid``, ``_validate_transaction_for_order``
        and their overrides) runs for a split too.

        Those checks compare the whole total: they are given it, and the
        transaction is created for the rest, which the wallet's part (held
        when the transaction is created) completes.  A payment of the whole
        total (express checkout from the cart, say) is a plain payment,
        whatever the customer chose at the payment step."""
        order_sudo = request.env["sale.order"].sudo().browse(order_id).exists()
        if order_sudo.wallet_use_balance:
            split = order_sudo._wallet_split(order_sudo.partner_invoice_id)
            asked = kwargs.get("amount")
            whole = isinstance(asked, int | float) and not split["currency"].compare_amounts(
                asked, order_sudo.amount_total
            )
            if not whole:
                offer_split()
            if (
                split["use"]
                and isinstance(asked, int | float)
                and not split["currency"].compare_amounts(asked, split["remaining_amount"])
            ):
                kwargs["amount"] = order_sudo.amount_total
                request.update_context(wallet_split_rest=split["remaining_amount"])
        return super().shop_payment_transaction(order_id, access_token, **kwargs)

    def _create_transaction(self, *args, **kwargs):
        """Override of `payment`: the card pays the rest of a split."""
        if "wallet_split_rest" in request.env.context:
            kwargs["amount"] = request.env.context["wallet_split_rest"]
        return super()._create_transaction(*args, **kwargs)


class WalletSaleOrderPortal(SaleCustomerPortal):
    def _get_payment_values(self, order_sudo, downpayment=False, **kwargs):
        """Override of `sale`: an order's portal page shows the wallet's shortfall."""
        values = super()._get_payment_values(order_sudo, downpayment=downpayment, **kwargs)
        if not request.website.wallet_enabled:
            return values
        values["wallet_shortfall"] = wallet_shortfall(values, sale_order_id=order_sudo.id)
        return values


class WalletInvoicePayment(account_payment_payment.PaymentPortal):
    @route()
    def invoice_transaction(self, invoice_id, access_token, **kwargs):
        """Override of `account_payment`: the Pay Now dialog shows the split
        toggle, so its transactions apply the customer's choice."""
        offer_split()
        return super().invoice_transaction(invoice_id, access_token, **kwargs)


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
        """Override of `account_payment`: an invoice's Pay Now dialog offers the
        wallet for that invoice: the invoice is named to the provider filter
        (which the core page leaves out, leaving only a total amount), and the
        shortfall and the split toggle are shown; with the split on, the form
        pays the rest."""
        offer_split()
        values = super()._invoice_get_page_view_values(
            invoice, access_token, invoice_id=invoice.id, **kwargs
        )
        if not (values.get("partner_id") and request.website.wallet_enabled):
            return values
        partner = request.env["res.partner"].browse(values["partner_id"])
        values["wallet_shortfall"] = wallet_shortfall(
            {**values, "amount": invoice.amount_residual}, invoice_id=invoice.id
        )
        values.update(
            wallet_split_values(
                invoice, partner, f"/my/invoices/{invoice.id}/wallet", invoice.access_token
            )
        )
        if values.get("wallet_split", {}).get("use"):
            values.update(
                wallet_form_amount=values["wallet_split"]["remaining_amount"], wallet_shortfall={}
            )
        return values
