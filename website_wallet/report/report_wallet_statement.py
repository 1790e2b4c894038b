# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, date_utils

from ..const import PROMO_CREDIT_KINDS


class ReportWalletStatement(models.AbstractModel):
    """A customer's wallet statement over a period: the opening balance, every
    entry with its running balance, the closing balance.

    The period comes from the report's data when printed from the Send
    Statement wizard, else from the context (``wallet_statement_from`` and
    ``wallet_statement_to``), which the portal route and the emailing set: the
    portal's report helper and mail templates pass no data of their own.  Entries
    count on their accounting date, as in the books.
    """

    _name = "report.website_wallet.report_wallet_statement"
    _description = "Wallet Statement"

    @api.model
    def _statement_period(self, data=None):
        """The period of a print (``data``, as a report action passes it), else
        of the context (the portal's report helper and mail templates)."""
        values = {**self.env.context, **(data or {})}
        today = fields.Date.context_today(self)
        date_to = fields.Date.to_date(values.get("wallet_statement_to")) or today
        date_from = fields.Date.to_date(values.get("wallet_statement_from")) or (
            date_utils.start_of(date_to - relativedelta(months=11), "month")
        )
        return date_from, date_to

    @api.model
    def _check_statement_access(self, partners):
        """The portal's rule for the history: a customer reads their own wallet
        only; backend users with wallet access read any."""
        user = self.env.user
        if user.share:
            if partners != user.partner_id.commercial_partner_id:
                raise AccessError(_("You can only download the statement of your own wallet."))
        elif not user.has_group("website_wallet.group_wallet_user"):
            raise AccessError(_("You are not allowed to read wallet statements."))

    @api.model
    def _get_report_values(self, docids, data=None):
        # A print with data comes without ids: the web client puts them in the context.
        partners = self.env["res.partner"].browse(docids or self.env.context.get("active_ids"))
        self._check_statement_access(partners)
        date_from, date_to = self._statement_period(data)
        # The portal passes the website's company: the report helper switches
        # to the partner's own company, which is not always the shop's.
        company = (
            self.env["res.company"].browse(self.env.context.get("wallet_statement_company_id"))
            or self.env.company
        )
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners.sudo(),
            "company": company,
            "currency": company.currency_id,
            "date_from": date_from,
            "date_to": date_to,
            "statements": {
                partner.id: self._statement(partner, company, date_from, date_to)
                for partner in partners.sudo()
            },
        }

    @api.model
    def _statement(self, partner, company, date_from, date_to):
        wallet_partner = partner.commercial_partner_id
        booked = [
            ("partner_id", "=", wallet_partner.id),
            ("company_id", "=", company.id),
            ("state", "=", "done"),
        ]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(SUM(credit - debit), 0) FROM wallet_transaction"
                " WHERE partner_id = %s AND company_id = %s AND state = 'done'"
                " AND accounting_date < %s",
                wallet_partner.id,
                company.id,
                date_from,
            )
        )
        opening = self.env.cr.fetchone()[0]
        entries = (
            self.env["wallet.transaction"]
            .sudo()
            .search(
                [*booked, ("accounting_date", ">=", date_from), ("accounting_date", "<=", date_to)],
                order="accounting_date, id",
            )
        )
        rows, running = [], opening
        for entry in entries:
            running = company.currency_id.round(running + entry.credit - entry.debit)
            rows.append({"entry": entry, "balance": running})
        return {
            "opening": opening,
            "rows": rows,
            "credits": sum(entries.mapped("credit")),
            "debits": sum(entries.mapped("debit")),
            "closing": running,
            "promotional": self._promotional_summary(entries),
        }

    @api.model
    def _promotional_summary(self, entries):
        """The period's promotional credit: granted, spent, expired and clawed
        back; empty when none moved."""

        def total(kinds, direction):
            return sum(
                entries.filtered(
                    lambda entry: entry.kind in kinds and entry.direction == direction
                ).mapped("promo_amount")
            )

        summary = {
            "granted": total(PROMO_CREDIT_KINDS, "credit"),
            "spent": total(("payment",), "debit") - total(("refund", "reversal"), "credit"),
            "expired": total(("expiry",), "debit"),
            "clawed_back": total(("clawback",), "debit"),
        }
        return summary if any(summary.values()) else {}
