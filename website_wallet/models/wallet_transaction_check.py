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
        ledger, its lots and its books, fund by fund.

        Returns one line per difference between the ledger, the aggregate,
        the lots and the two wallet accounts (Customer Wallet: cash;
        Promotional Credit: promotional); an empty list means all agree.
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
                                    ELSE 0 END) AS held,
                           SUM(CASE WHEN state = 'done' AND direction = 'credit' THEN promo_amount
                                    WHEN state = 'done' AND direction = 'debit' THEN -promo_amount
                                    ELSE 0 END) AS promo,
                           SUM(CASE WHEN state = 'pending' AND direction = 'debit'
                                    THEN promo_amount ELSE 0 END) AS promo_held
                      FROM wallet_transaction
                  GROUP BY partner_id, company_id
                ), books AS (
                    SELECT line.partner_id, line.company_id,
                           -SUM(CASE WHEN line.account_id = company.wallet_account_id
                                     THEN line.balance ELSE 0 END) AS cash,
                           -SUM(CASE WHEN line.account_id = company.wallet_promo_account_id
                                     THEN line.balance ELSE 0 END) AS promo
                      FROM account_move_line line
                      JOIN res_company company ON company.id = line.company_id
                     WHERE line.account_id IN (company.wallet_account_id,
                                               company.wallet_promo_account_id)
                       AND line.parent_state = 'posted'
                  GROUP BY line.partner_id, line.company_id
                ), lots AS (
                    SELECT partner_id, company_id, SUM(remaining) AS remaining,
                           SUM(held) AS held
                      FROM wallet_lot
                  GROUP BY partner_id, company_id
                ), figures AS (
                    SELECT COALESCE(w.partner_id, l.partner_id, b.partner_id) AS partner_id,
                           COALESCE(w.company_id, l.company_id, b.company_id) AS company_id,
                           COALESCE(l.balance, 0) AS ledger, COALESCE(l.pending, 0) AS pending,
                           COALESCE(l.held, 0) AS held, COALESCE(l.promo, 0) AS promo,
                           COALESCE(l.promo_held, 0) AS promo_held,
                           COALESCE(w.balance, 0) AS w_balance, COALESCE(w.pending, 0) AS w_pending,
                           COALESCE(w.held, 0) AS w_held, COALESCE(w.promo_balance, 0) AS w_promo,
                           COALESCE(w.promo_held, 0) AS w_promo_held,
                           COALESCE(b.cash, 0) AS books_cash, COALESCE(b.promo, 0) AS books_promo
                      FROM wallet_balance w
                 FULL JOIN ledger l
                        ON l.partner_id = w.partner_id AND l.company_id = w.company_id
                 FULL JOIN books b
                        ON b.partner_id = COALESCE(w.partner_id, l.partner_id)
                       AND b.company_id = COALESCE(w.company_id, l.company_id)
                )
                SELECT f.*, COALESCE(lots.remaining, 0) AS lots_remaining,
                       COALESCE(lots.held, 0) AS lots_held
                  FROM figures f
             LEFT JOIN lots ON lots.partner_id = f.partner_id AND lots.company_id = f.company_id
                 WHERE %s
                """,
                SQL("f.company_id = ANY(%s)", companies.ids) if companies else SQL("TRUE"),
            )
        )
        problems = []
        for row in self.env.cr.dictfetchall():
            company = self.env["res.company"].browse(row["company_id"])
            cash = row["ledger"] - row["promo"]
            if any(
                not company.currency_id.is_zero(a - b)
                for a, b in (
                    (row["ledger"], row["w_balance"]),
                    (row["pending"], row["w_pending"]),
                    (row["held"], row["w_held"]),
                    (row["promo"], row["w_promo"]),
                    (row["promo_held"], row["w_promo_held"]),
                    (cash, row["books_cash"]),
                    (row["promo"], row["books_promo"]),
                    (row["promo"], row["lots_remaining"]),
                    (row["promo_held"], row["lots_held"]),
                )
            ):
                problems.append(
                    _(
                        "%(partner)s (%(company)s): ledger %(ledger)s (promotional %(promo)s),"
                        " pending %(pending)s, held %(held)s (promotional %(promo_held)s);"
                        " aggregate %(w_balance)s (promotional %(w_promo)s), pending"
                        " %(w_pending)s, held %(w_held)s (promotional %(w_promo_held)s); lots"
                        " %(lots_remaining)s, held %(lots_held)s; Customer Wallet account"
                        " %(books_cash)s, Promotional Credit account %(books_promo)s",
                        partner=self.env["res.partner"].browse(row["partner_id"]).display_name,
                        company=company.name,
                        **{
                            key: value
                            for key, value in row.items()
                            if key not in ("partner_id", "company_id")
                        },
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
