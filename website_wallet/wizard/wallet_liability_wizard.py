# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import base64
import io
from datetime import datetime, time, timedelta

import pytz
import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, date_utils

from ..const import DORMANT_MONTHS, ROLL_FORWARD_MOVEMENTS

MOVEMENT_FIELDS = [f"{direction}_{kind}" for direction, kind in ROLL_FORWARD_MOVEMENTS]


class WalletLiabilityWizard(models.TransientModel):
    """The Customer Wallet liability over a period, per customer, tied to the books.

    Odoo Community has no financial reports engine, so the roll-forward is a
    wizard: one grouped query over the ledger writes a row per customer
    (opening, credits and debits by kind, closing, pending top-ups apart),
    and the closing total is set against the Customer Wallet account's balance
    at the end date.  Entries count on their accounting date, as the books
    count them.
    """

    _name = "wallet.liability.wizard"
    _inherit = ["wallet.period.mixin"]
    _description = "Wallet Liability Roll-forward"

    def _default_date_from(self):
        return date_utils.start_of(
            fields.Date.context_today(self) - relativedelta(months=1), "month"
        )

    def _default_date_to(self):
        return date_utils.end_of(fields.Date.context_today(self) - relativedelta(months=1), "month")

    date_from = fields.Date(default=lambda self: self._default_date_from())
    date_to = fields.Date(default=lambda self: self._default_date_to())
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("wallet.liability.line", "wizard_id", "Customers", readonly=True)
    is_computed = fields.Boolean(readonly=True)
    total_opening = fields.Monetary("Opening", readonly=True)
    total_credits = fields.Monetary("Credits", readonly=True)
    total_debits = fields.Monetary("Debits", readonly=True)
    total_closing = fields.Monetary("Closing", readonly=True)
    total_pending = fields.Monetary("Pending top-ups", readonly=True)
    account_balance = fields.Monetary(
        "Wallet accounts",
        readonly=True,
        help="Balance of the Customer Wallet and Promotional Credit accounts at the end date,"
        " posted entries only.",
    )
    difference = fields.Monetary(readonly=True)
    explanation = fields.Text(readonly=True)
    xlsx_file = fields.Binary("XLSX File", readonly=True, attachment=False)
    xlsx_filename = fields.Char(readonly=True)

    @api.depends("date_from", "date_to")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = _(
                "Wallet Liability from %(from)s to %(to)s", **wizard._period_labels()
            )

    # ------------------------------------------------------------------
    # The roll-forward
    # ------------------------------------------------------------------

    def action_compute(self):
        self.ensure_one()
        self._check_company_allowed()
        self.line_ids.unlink()
        self.env.flush_all()
        self.env.cr.execute(self._roll_forward_query())
        self.env.invalidate_all()
        self.write({**self._totals(), "is_computed": True})
        # The form shows the figures in place: a new action would stack a
        # second "Wallet Liability" in the breadcrumb.
        return True

    def _check_company_allowed(self):
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(_("You cannot report on a company you do not work for."))

    def _roll_forward_query(self):
        """One grouped query writes every customer's row, whatever the number
        of entries or customers: the work is done by the database.

        An entry counts on its accounting date.  A top-up is pending at the
        end date when it was announced by then and not booked by then: still
        pending, booked later, or cancelled later (a cancelled entry is never
        written again, so its last write is its cancellation).
        """
        day_after = self._end_of_period_utc()
        booked = SQL("state = 'done' AND accounting_date <= %s", self.date_to)
        in_period = SQL("%s AND accounting_date >= %s", booked, self.date_from)
        pending = SQL(
            """direction = 'credit' AND kind = 'topup' AND date < %(day_after)s
               AND (state = 'pending'
                    OR (state = 'done' AND accounting_date > %(date_to)s)
                    OR (state = 'cancel' AND write_date >= %(day_after)s))""",
            day_after=day_after,
            date_to=self.date_to,
        )
        movements = SQL(", ").join(
            SQL(
                "COALESCE(SUM(amount) FILTER (WHERE %s AND direction = %s AND kind = %s), 0)"
                " AS %s",
                in_period,
                direction,
                kind,
                SQL.identifier(f"{direction}_{kind}"),
            )
            for direction, kind in ROLL_FORWARD_MOVEMENTS
        )
        dormant = SQL(" ").join(
            SQL(
                "WHEN last_movement <= %s THEN %s",
                self.date_to - relativedelta(months=months),
                months,
            )
            for months in sorted(DORMANT_MONTHS, reverse=True)
        )
        columns = SQL(", ").join(SQL.identifier(name) for name in MOVEMENT_FIELDS)
        return SQL(
            """
            WITH figures AS (
                SELECT partner_id,
                       COALESCE(SUM(credit - debit) FILTER (
                           WHERE %(booked)s AND accounting_date < %(date_from)s), 0) AS opening,
                       %(movements)s,
                       COALESCE(SUM(credit - debit) FILTER (WHERE %(booked)s), 0) AS closing,
                       COALESCE(SUM(CASE direction WHEN 'credit' THEN promo_amount
                                                   ELSE -promo_amount END)
                                FILTER (WHERE %(booked)s), 0) AS promo_closing,
                       COALESCE(SUM(CASE direction WHEN 'debit' THEN promo_amount
                                                   ELSE -promo_amount END)
                                FILTER (WHERE %(in_period)s AND (
                                    (direction = 'debit' AND kind = 'payment')
                                    OR (direction = 'credit' AND kind IN ('refund', 'reversal')))),
                                0) AS promo_spent,
                       COALESCE(SUM(amount) FILTER (WHERE %(pending)s), 0) AS pending,
                       BOOL_OR(%(in_period)s) AS moved,
                       MAX(accounting_date) FILTER (WHERE %(booked)s) AS last_movement
                  FROM wallet_transaction
                 WHERE company_id = %(company)s AND (%(booked)s OR (%(pending)s))
              GROUP BY partner_id
            )
            INSERT INTO wallet_liability_line (
                wizard_id, partner_id, currency_id, opening, %(columns)s, promo_spent, closing,
                promo_closing, pending, last_movement, dormant_months,
                create_uid, create_date, write_uid, write_date)
            SELECT %(wizard)s, partner_id, %(currency)s, opening, %(columns)s, promo_spent, closing,
                   promo_closing, pending,
                   last_movement,
                   CASE WHEN closing > 0 THEN CASE %(dormant)s ELSE 0 END ELSE 0 END,
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM figures
             WHERE moved OR closing != 0 OR pending != 0 OR opening != 0
            """,
            booked=booked,
            date_from=self.date_from,
            movements=movements,
            pending=pending,
            in_period=in_period,
            columns=columns,
            dormant=dormant,
            company=self.company_id.id,
            wizard=self.id,
            currency=self.currency_id.id,
            uid=self.env.uid,
        )

    def _end_of_period_utc(self):
        """The end date's midnight in the user's time zone, as the UTC timestamp
        that creation and write dates are stored in."""
        day_after = datetime.combine(self.date_to + timedelta(days=1), time.min)
        local = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        return local.localize(day_after).astimezone(pytz.utc).replace(tzinfo=None)

    def _totals(self):
        """The totals, and the tie-out of the closing total to the books."""
        credits = SQL(" + ").join(
            SQL.identifier(name) for name in MOVEMENT_FIELDS if name.startswith("credit_")
        )
        debits = SQL(" + ").join(
            SQL.identifier(name) for name in MOVEMENT_FIELDS if name.startswith("debit_")
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(opening), 0), COALESCE(SUM(%s), 0), COALESCE(SUM(%s), 0),
                       COALESCE(SUM(closing), 0), COALESCE(SUM(pending), 0)
                  FROM wallet_liability_line WHERE wizard_id = %s
                """,
                credits,
                debits,
                self.id,
            )
        )
        opening, total_credits, total_debits, closing, pending = self.env.cr.fetchone()
        accounts = self.company_id._wallet_ledger_accounts()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(-SUM(balance), 0) FROM account_move_line
                 WHERE account_id IN %s AND company_id = %s AND parent_state = 'posted'
                   AND date <= %s
                """,
                tuple(accounts.ids) or (0,),  # a company without wallet accounting owes nothing
                self.company_id.id,
                self.date_to,
            )
        )
        account_balance = self.env.cr.fetchone()[0]
        difference = self.currency_id.round(closing - account_balance)
        return {
            "total_opening": opening,
            "total_credits": total_credits,
            "total_debits": total_debits,
            "total_closing": closing,
            "total_pending": pending,
            "account_balance": account_balance,
            "difference": difference,
            "explanation": self._explain(difference),
        }

    def _explain(self, difference):
        """Why the ledger and the books differ, in the ledger check's words."""
        if self.currency_id.is_zero(difference):
            return False
        problems = self.env["wallet.transaction"].sudo()._check_ledger(self.company_id)
        return "\n".join(
            problems
            or [
                _(
                    "The wallet ledger agrees with its own books today: the difference comes"
                    " from entries on the Customer Wallet account outside the wallet (for"
                    " example, dated before the end date but booked by hand)."
                )
            ]
        )

    # ------------------------------------------------------------------
    # Outputs: list and pivot, PDF, XLSX
    # ------------------------------------------------------------------

    def write(self, vals):
        """Override of `base`: other dates or another company make the figures
        stale."""
        if {"date_from", "date_to", "company_id"} & set(vals) and "is_computed" not in vals:
            vals = {**vals, "is_computed": False}
        return super().write(vals)

    def _ensure_computed(self):
        if not self.is_computed:
            self.action_compute()

    def action_open_lines(self):
        self.ensure_one()
        self._ensure_computed()
        return {
            "type": "ir.actions.act_window",
            "name": _("Wallet Liability from %(from)s to %(to)s", **self._period_labels()),
            "res_model": "wallet.liability.line",
            "view_mode": "list,pivot",
            "domain": [("wizard_id", "=", self.id)],
            "context": {"search_default_group_none": 1},
        }

    def action_print_pdf(self):
        self.ensure_one()
        self._ensure_computed()
        return self.env.ref("website_wallet.action_report_wallet_liability").report_action(self)

    def action_export_xlsx(self):
        """The spreadsheet is a field of the wizard, not an attachment: it goes
        away with the wizard when transient records are cleaned up."""
        self.ensure_one()
        self._ensure_computed()
        self.write(
            {
                "xlsx_file": base64.b64encode(self._xlsx()),
                "xlsx_filename": f"wallet_liability_{self.date_from}_{self.date_to}.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content?model={self._name}&id={self.id}&field=xlsx_file"
            "&filename_field=xlsx_filename&download=true",
            "target": "download",
        }

    def _period_labels(self):
        return {
            "from": fields.Date.to_string(self.date_from),
            "to": fields.Date.to_string(self.date_to),
        }

    def _columns(self):
        """(field name, label) of a row, in the order every output shows them."""
        Line = self.env["wallet.liability.line"]
        names = ["opening", *MOVEMENT_FIELDS, "promo_spent", "closing", "promo_closing", "pending"]
        return [(name, Line._fields[name].get_description(self.env)["string"]) for name in names]

    def _xlsx(self):
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(_("Wallet Liability"))
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        total = workbook.add_format({"num_format": "#,##0.00", "bold": True, "top": 1})
        red = workbook.add_format({"num_format": "#,##0.00", "bold": True, "font_color": "red"})
        columns = self._columns()
        sheet.write(
            0, 0, _("Wallet Liability from %(from)s to %(to)s", **self._period_labels()), bold
        )
        sheet.write(1, 0, f"{self.company_id.name} ({self.currency_id.name})")
        header = [_("Customer"), *(label for _name, label in columns), _("Dormant (months)")]
        sheet.write_row(3, 0, header, bold)
        for row, line in enumerate(self.line_ids, start=4):
            sheet.write(row, 0, line.partner_id.display_name)
            for column, (name, _label) in enumerate(columns, start=1):
                sheet.write_number(row, column, line[name], money)
            sheet.write_number(row, len(columns) + 1, line.dormant_months)
        last = 4 + len(self.line_ids)
        sheet.write(last, 0, _("Total"), bold)
        for column, (name, _label) in enumerate(columns, start=1):
            sheet.write_number(last, column, sum(self.line_ids.mapped(name)), total)
        tie_out = [
            (_("Closing total"), self.total_closing, money),
            (
                _("Wallet accounts at %(to)s", **self._period_labels()),
                self.account_balance,
                money,
            ),
            (
                _("Difference"),
                self.difference,
                money if self.currency_id.is_zero(self.difference) else red,
            ),
        ]
        for row, (label, value, style) in enumerate(tie_out, start=last + 2):
            sheet.write(row, 0, label, bold)
            sheet.write_number(row, 1, value, style)
        if self.explanation:
            sheet.write(last + 5, 0, self.explanation)
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, len(header), 14)
        workbook.close()
        return output.getvalue()
