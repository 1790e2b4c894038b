# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models
from odoo.tools import SQL


class WalletTransaction(models.Model):
    """The customer's history on the portal: pages and their running balance."""

    _inherit = "wallet.transaction"

    # ------------------------------------------------------------------
    # Portal history
    # ------------------------------------------------------------------

    def _signed_amount(self):
        if self.state != "done":
            return 0.0
        return self.amount if self.direction == "credit" else -self.amount

    @api.model
    def _signed_sum_of_newest(self, domain, count):
        """What the ``count`` newest entries of ``domain`` moved, in one query."""
        if not count:
            return 0.0
        query = self._search(domain, order=self._order, limit=count)
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(CASE WHEN direction = 'credit' THEN amount ELSE -amount END), 0)
                  FROM wallet_transaction
                 WHERE state = 'done' AND id IN %s
                """,
                query.subselect(),
            )
        )
        return self.env.cr.fetchone()[0]

    def _portal_rows(self, balance_at_top):
        """The entries (newest first) with the balance after each, and a link to
        the order or invoice when the current user may open it."""
        rows, balance = [], balance_at_top
        for entry in self:
            document = entry.sudo().invoice_id or entry.sudo().sale_order_id
            visible = document and document.with_env(self.env).has_access("read")
            rows.append(
                {
                    "entry": entry,
                    "balance": balance,
                    "document_url": visible and document.get_portal_url(),
                }
            )
            balance -= entry._signed_amount()
        return rows
