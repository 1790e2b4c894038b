# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.http import request

from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.sale.controllers.portal import CustomerPortal as SaleCustomerPortal
from odoo.addons.website_sale.controllers.main import WebsiteSale


def wallet_shortfall(partner_id, amount, **document):
    return request.env["payment.provider"]._wallet_shortfall(partner_id, amount, **document)


class WalletWebsiteSale(WebsiteSale):
    def _get_shop_payment_values(self, order, **kwargs):
        """The shop's payment step shows the wallet's shortfall, and why the last
        wallet payment of this cart was refused (another tab spent the money,
        say): the shopper returns here after it."""
        values = super()._get_shop_payment_values(order, **kwargs)
        values["wallet_shortfall"] = wallet_shortfall(
            values["partner_id"], values["amount"], sale_order_id=order.id
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
    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        """An invoice's Pay Now dialog offers the wallet for that invoice: the
        invoice is named to the provider filter (which the core page leaves
        out, leaving only a total amount), and the shortfall is shown."""
        values = super()._invoice_get_page_view_values(
            invoice, access_token, invoice_id=invoice.id, **kwargs
        )
        if values.get("partner_id"):
            values["wallet_shortfall"] = wallet_shortfall(
                values["partner_id"], invoice.amount_residual, invoice_id=invoice.id
            )
        return values
