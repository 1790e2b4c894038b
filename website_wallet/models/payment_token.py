# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class PaymentToken(models.Model):
    _inherit = "payment.token"

    def _handle_archiving(self):
        """Override of `payment`: an automatic top-up never charges a payment
        method the customer removed (from /my/payment_method, or a provider
        turned off); it turns off, and the customer is told."""
        result = super()._handle_archiving()
        self._wallet_turn_off_rules()
        return result

    def unlink(self):
        """Override of `base`: see ``_handle_archiving``."""
        self._wallet_turn_off_rules()
        return super().unlink()

    def _wallet_turn_off_rules(self):
        for token in self:
            rules = self.env["wallet.topup.rule"].sudo().search([("token_id", "=", token.id)])
            for rule in rules:
                rule._turn_off(
                    rule._for_customer().env._(
                        "Turned off: the saved payment method %(method)s was removed.",
                        method=token.display_name,
                    )
                )
