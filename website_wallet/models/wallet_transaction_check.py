# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, models
from odoo.tools import SQL


class WalletTransaction(models.Model):
    """The ledger check: ledger = aggregate = books, for every wallet."""

    _inherit = "wallet.transaction"

    # ------------------------------------------------------------------
    # Consistency check
    # ------------------------------------------------------------------

    @api.model
    def _check_ledger(self, companies=None):
        """Recompute every wallet (of ``companies``, else of all) from the
        ledger and its books.

        Returns one line per difference between the ledger, the aggregate
        and the Customer Wallet account; an empty list means all agree.
        """
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH ledger AS (
                    SELECT partner_id, company_id,
                           SUM(CASE WHEN state = 'done' AND direction = 'credit' THEN amount
                                    WHEN state = 'done' AND direction = 'debit' THEN -amount
                                    ELSE 0 END) AS balance,
                           SUM(CASE WHEN state = 'pending' AND direction = 'credit' THEN amount
                                    ELSE 0 END) AS pending,
                           SUM(CASE WHEN state = 'pending' AND direction = 'debit' THEN amount
                                    ELSE 0 END) AS held
                      FROM wallet_transaction
                  GROUP BY partner_id, company_id
                ), books AS (
                    SELECT line.partner_id, line.company_id, -SUM(line.balance) AS balance
                      FROM account_move_line line
                      JOIN res_company company ON company.id = line.company_id
                     WHERE line.account_id = company.wallet_account_id
                       AND line.parent_state = 'posted'
                  GROUP BY line.partner_id, line.company_id
                )
                SELECT COALESCE(w.partner_id, l.partner_id, b.partner_id),
                       COALESCE(w.company_id, l.company_id, b.company_id),
                       COALESCE(l.balance, 0), COALESCE(l.pending, 0), COALESCE(l.held, 0),
                       COALESCE(w.balance, 0), COALESCE(w.pending, 0), COALESCE(w.held, 0),
                       COALESCE(b.balance, 0)
                  FROM wallet_balance w
             FULL JOIN ledger l
                    ON l.partner_id = w.partner_id AND l.company_id = w.company_id
             FULL JOIN books b
                    ON b.partner_id = COALESCE(w.partner_id, l.partner_id)
                   AND b.company_id = COALESCE(w.company_id, l.company_id)
                 WHERE %s
                """,
                SQL(
                    "COALESCE(w.company_id, l.company_id, b.company_id) = ANY(%s)",
                    companies.ids,
                )
                if companies
                else SQL("TRUE"),
            )
        )
        problems = []
        for partner_id, company_id, *figures in self.env.cr.fetchall():
            company = self.env["res.company"].browse(company_id)
            ledger, pending, held, aggregate, aggregate_pending, aggregate_held, books = figures
            if any(
                not company.currency_id.is_zero(a - b)
                for a, b in (
                    (ledger, aggregate),
                    (pending, aggregate_pending),
                    (held, aggregate_held),
                    (ledger, books),
                )
            ):
                problems.append(
                    _(
                        "%(partner)s (%(company)s): ledger %(ledger)s, pending %(pending)s,"
                        " held %(held)s; aggregate %(aggregate)s, pending"
                        " %(aggregate_pending)s, held %(aggregate_held)s; Customer Wallet"
                        " account %(books)s",
                        partner=self.env["res.partner"].browse(partner_id).display_name,
                        company=company.name,
                        ledger=ledger,
                        pending=pending,
                        held=held,
                        aggregate=aggregate,
                        aggregate_pending=aggregate_pending,
                        aggregate_held=aggregate_held,
                        books=books,
                    )
                )
        return problems

    @api.model
    def action_check_ledger(self):
        self._check_manager()  # the check lists every customer's wallet
        problems = self._check_ledger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Wallet ledger check"),
                "message": "\n".join(problems)
                or _("Every wallet agrees with its ledger and with the Customer Wallet account."),
                "type": "danger" if problems else "success",
                "sticky": bool(problems),
            },
        }
