import base64
import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import WalletCommon, WalletFixtures, WalletHttpCommon

SEPTEMBER = (date(2026, 9, 1), date(2026, 9, 30))
OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))


class StatementFixtures:
    """Known entries across September and October 2026, for two customers:

    - Wallet Customer Inc: top-up 100.00 (Sep 10), payment 30.00 (Sep 20), a
      wire top-up of 20.00 announced Sep 28 and confirmed Oct 3, top-up 50.00
      (Oct 5), a wire top-up of 15.00 announced Oct 20 and still pending;
    - Other Customer: a goodwill adjustment of 5.00 (Oct 15), 2.00 of which
      is taken back by a negative adjustment (Oct 16).
    """

    @classmethod
    def setup_statement_entries(cls):
        cls.env.company.partner_id.lang = "en_US"
        with freeze_time("2026-09-10 10:00:00"):
            cls.topup(cls, 100.0)
        with freeze_time("2026-09-20 10:00:00"):
            cls.Ledger._debit(cls.customer, 30.0, kind="payment", description="Order S00042")
        with freeze_time("2026-09-28 10:00:00"):
            cls.late_wire = cls.topup(cls, 20.0, pending=True)
        with freeze_time("2026-10-03 10:00:00"):
            cls.late_wire._confirm(journal=cls.bank_journal)
        with freeze_time("2026-10-05 10:00:00"):
            cls.topup(cls, 50.0)
        with freeze_time("2026-10-15 10:00:00"):
            cls.Ledger._credit(
                cls.other_customer,
                5.0,
                kind="adjustment",
                counterpart_account_id=cls.goodwill_account.id,
                description="Goodwill",
            )
        with freeze_time("2026-10-16 10:00:00"):
            cls.Ledger._debit(
                cls.other_customer,
                2.0,
                kind="adjustment",
                counterpart_account_id=cls.goodwill_account.id,
                description="Goodwill taken back",
            )
        with freeze_time("2026-10-20 10:00:00"):
            cls.open_wire = cls.topup(cls, 15.0, pending=True)


class TestLiabilityRollForward(StatementFixtures, WalletFixtures, TransactionCase):
    """In a company of its own: the roll-forward's totals cover every customer
    of a company, and the database may hold demo wallets in the main one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env["res.company"].create({"name": "Wallet Statements Co"})
        cls.env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        cls.env.user.company_ids |= company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        cls.setup_wallet_fixtures()
        cls.setup_statement_entries()
        cls.accountant = new_test_user(
            cls.env, login="wallet_accountant", groups="account.group_account_invoice"
        )

    def roll_forward(self, period, user=None, company=None):
        """The wizard as ``user`` opens it, working in ``company``."""
        wizard = (
            self.env["wallet.liability.wizard"]
            .with_user(user or self.accountant)
            .with_company(company or self.company)
            .create(
                {
                    "date_from": period[0],
                    "date_to": period[1],
                    "company_id": (company or self.company).id,
                }
            )
        )
        wizard.action_compute()
        return wizard

    def row(self, wizard, partner):
        line = wizard.line_ids.filtered(lambda line: line.partner_id == partner)
        self.assertEqual(len(line), 1, f"one row for {partner.name}")
        return line

    def test_an_entry_carries_the_accounting_date_of_its_posting(self):
        self.assertEqual(self.late_wire.date.date(), date(2026, 9, 28))
        self.assertEqual(self.late_wire.accounting_date, date(2026, 10, 3))
        self.assertEqual(self.late_wire.accounting_date, self.late_wire.move_id.date)
        self.assertFalse(self.open_wire.accounting_date, "a pending top-up is not in the books")
        with freeze_time("2026-11-02 10:00:00"):
            entry = self.Ledger.search([("description", "=", "Order S00042")])
            reversal = entry._reverse("Order cancelled")
        self.assertEqual(reversal.accounting_date, date(2026, 11, 2))

    def test_september_gives_exact_figures_and_ties_out(self):
        wizard = self.roll_forward(SEPTEMBER)
        row = self.row(wizard, self.customer)
        self.assertRecordValues(
            row,
            [
                {
                    "opening": 0.0,
                    "credit_topup": 100.0,
                    "debit_payment": 30.0,
                    "closing": 70.0,
                    "pending": 20.0,  # announced Sep 28, booked only in October
                    "last_movement": date(2026, 9, 20),
                }
            ],
        )
        self.assertNotIn(self.other_customer, wizard.line_ids.partner_id, "no entry yet")
        self.assertRecordValues(
            wizard,
            [
                {
                    "total_opening": 0.0,
                    "total_credits": 100.0,
                    "total_debits": 30.0,
                    "total_closing": 70.0,
                    "total_pending": 20.0,
                    "account_balance": 70.0,
                    "difference": 0.0,
                    "explanation": False,
                }
            ],
        )

    def test_october_opens_with_septembers_closing_and_ties_out(self):
        wizard = self.roll_forward(OCTOBER)
        self.assertRecordValues(
            self.row(wizard, self.customer),
            [
                {
                    "opening": 70.0,
                    "credit_topup": 70.0,  # the wire top-up confirmed Oct 3, and Oct 5
                    "debit_payment": 0.0,
                    "closing": 140.0,
                    "pending": 15.0,
                }
            ],
        )
        self.assertRecordValues(
            self.row(wizard, self.other_customer),
            [
                {
                    "opening": 0.0,
                    "credit_adjustment": 5.0,
                    "debit_adjustment": 2.0,
                    "closing": 3.0,
                    "pending": 0.0,
                }
            ],
        )
        self.assertEqual(wizard.total_closing, 143.0)
        self.assertEqual(wizard.account_balance, 143.0)
        self.assertEqual(wizard.difference, 0.0)
        for line in wizard.line_ids:
            moved = sum(
                line[name] * (1 if name.startswith("credit_") else -1)
                for name in line._fields
                if name.startswith(("credit_", "debit_"))
            )
            self.assertAlmostEqual(line.opening + moved, line.closing, 2)

    def test_a_difference_with_the_books_is_shown_and_explained(self):
        """A journal entry on the Customer Wallet account outside the ledger."""
        with freeze_time("2026-10-25 10:00:00"):
            move = (
                self.env["account.move"]
                .sudo()
                .create(
                    {
                        "move_type": "entry",
                        "journal_id": self.bank_journal.id,
                        "line_ids": [
                            Command.create(
                                {
                                    "account_id": self.company.wallet_account_id.id,
                                    "partner_id": self.customer.id,
                                    "credit": 9.0,
                                }
                            ),
                            Command.create({"account_id": self.goodwill_account.id, "debit": 9.0}),
                        ],
                    }
                )
            )
            move.action_post()
        wizard = self.roll_forward(OCTOBER)
        self.assertEqual(wizard.total_closing, 143.0)
        self.assertEqual(wizard.account_balance, 152.0)
        self.assertEqual(wizard.difference, -9.0)
        self.assertIn("Wallet Customer Inc", wizard.explanation)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("website_wallet.action_report_wallet_liability", wizard.ids)[0]
            .decode()
        )
        self.assertIn("text-danger", html)

    def test_companies_are_reported_apart(self):
        """This class works in a company of its own; the main company has its
        own wallets (demo ones, maybe) and one more entry of this customer."""
        main = self.env.ref("base.main_company")
        journal = self.env["account.journal"].search(
            [
                ("type", "=", "bank"),
                ("company_id", "=", main.id),
                ("id", "!=", main.wallet_journal_id.id),
            ],
            limit=1,
        )
        with freeze_time("2026-10-10 10:00:00"):
            self.Ledger.with_company(main)._credit(
                self.customer, 500.0, kind="topup", company=main, journal=journal
            )
        ours = self.roll_forward(OCTOBER)
        self.assertEqual(self.row(ours, self.customer).closing, 140.0)
        self.assertEqual(ours.total_closing, 143.0)
        self.accountant.company_ids |= main
        theirs = self.roll_forward(OCTOBER, company=main)
        self.assertRecordValues(
            self.row(theirs, self.customer),
            [{"opening": 0.0, "credit_topup": 500.0, "closing": 500.0}],
        )
        self.assertNotIn(self.other_customer, theirs.line_ids.partner_id)
        self.assertEqual(theirs.difference, 0.0)
        self.accountant.company_ids -= main
        with self.assertRaises(AccessError):
            self.roll_forward(OCTOBER, company=main)

    def test_dormant_balances_are_flagged(self):
        with freeze_time("2026-10-05 10:00:00"):
            sleeper = self.env["res.partner"].create({"name": "Sleeping Customer"})
        with freeze_time("2025-12-01 10:00:00"):
            self.topup(7.0, partner=sleeper)
        with freeze_time("2025-09-01 10:00:00"):
            ancient = self.env["res.partner"].create({"name": "Ancient Customer"})
            self.topup(8.0, partner=ancient)
        wizard = self.roll_forward(OCTOBER)
        self.assertEqual(self.row(wizard, sleeper).dormant_months, 6)
        self.assertEqual(self.row(wizard, ancient).dormant_months, 12)
        self.assertEqual(self.row(wizard, self.customer).dormant_months, 0)
        dormant = self.env["wallet.liability.line"].search(
            [("wizard_id", "=", wizard.id), ("dormant_months", ">=", 12)]
        )
        self.assertEqual(dormant.partner_id, ancient)

    def test_the_query_count_does_not_grow_with_customers_or_entries(self):
        def queries():
            wizard = self.env["wallet.liability.wizard"].create(
                {"date_from": OCTOBER[0], "date_to": OCTOBER[1]}
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            wizard.action_compute()
            self.env.flush_all()
            return self.cr.sql_log_count - before, wizard

        queries()  # warm the caches
        few, wizard = queries()
        self.assertEqual(len(wizard.line_ids), 2)
        customers = self.env["res.partner"].create([{"name": f"Bulk {i}"} for i in range(15)])
        with freeze_time("2026-10-12 10:00:00"):
            for customer in customers:
                for _entry in range(3):
                    self.topup(1.0, partner=customer)
        many, wizard = queries()
        self.assertEqual(len(wizard.line_ids), 17)
        self.assertEqual(many, few, "17 customers and 45 more entries cost what 2 cost")
        self.assertLessEqual(few, 13)

    def test_outputs_list_pivot_pdf_and_xlsx(self):
        wizard = self.roll_forward(OCTOBER)
        action = wizard.action_open_lines()
        self.assertEqual(action["view_mode"], "list,pivot")
        self.assertEqual(
            self.env["wallet.liability.line"].search(action["domain"]), wizard.line_ids
        )
        pivot = (
            self.env["wallet.liability.line"]
            .with_user(self.accountant)
            .read_group(action["domain"], ["closing:sum", "pending:sum"], [])
        )
        self.assertEqual((pivot[0]["closing"], pivot[0]["pending"]), (143.0, 15.0))
        self.assertEqual(
            wizard.action_print_pdf()["report_name"], "website_wallet.report_wallet_liability"
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("website_wallet.action_report_wallet_liability", wizard.ids)[0]
            .decode()
        )
        self.assertIn(self.other_customer.name, html)
        self.assertIn("143.00", html)

        attachments = self.env["ir.attachment"].search_count([])
        # Other dates make the figures stale: an output computes them again.
        wizard.date_from = SEPTEMBER[0]
        self.assertFalse(wizard.is_computed)
        wizard.date_from = OCTOBER[0]
        download = wizard.action_export_xlsx()
        self.assertTrue(wizard.is_computed)
        self.assertIn(f"id={wizard.id}&field=xlsx_file", download["url"])
        self.assertEqual(
            self.env["ir.attachment"].search_count([]), attachments, "nothing outlives the wizard"
        )
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.xlsx_file)))
        sheet = book.active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        header = rows[3]
        by_customer = {row[0]: dict(zip(header, row, strict=True)) for row in rows[4:6]}
        self.assertEqual(by_customer["Wallet Customer Inc"]["Opening"], 70.0)
        self.assertEqual(by_customer["Wallet Customer Inc"]["Closing"], 140.0)
        self.assertEqual(by_customer[self.other_customer.name]["Adjustments (+)"], 5.0)
        self.assertEqual(rows[6][0], "Total")
        self.assertEqual(rows[6][header.index("Closing")], 143.0)
        tie_out = {row[0]: row[1] for row in rows[8:11]}
        self.assertEqual(tie_out["Difference"], 0.0)

    def test_a_period_that_ends_before_it_starts_is_refused(self):
        backwards = {"date_from": OCTOBER[1], "date_to": OCTOBER[0]}
        with self.assertRaises(UserError):
            self.env["wallet.liability.wizard"].create(backwards)
        with self.assertRaises(UserError):
            self.env["wallet.statement.wizard"].create(
                {**backwards, "partner_id": self.customer.id}
            )

    def test_only_accounting_users_run_the_roll_forward(self):
        clerk = new_test_user(self.env, login="wallet_clerk_2", groups="base.group_user")
        self.assertTrue(clerk.has_group("website_wallet.group_wallet_user"))
        with self.assertRaises(AccessError):
            self.roll_forward(OCTOBER, user=clerk)
        with self.assertRaises(AccessError):
            self.roll_forward(OCTOBER, user=self.portal_user)
        menu = self.env.ref("website_wallet.menu_wallet_liability")
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(clerk)._visible_menu_ids())
        self.assertIn(
            menu.id, self.env["ir.ui.menu"].with_user(self.accountant)._visible_menu_ids()
        )


class TestCustomerStatement(StatementFixtures, WalletCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_statement_entries()

    def render(self, partner, period, user=None):
        report = (
            self.env["ir.actions.report"]
            .with_user(user or self.wallet_user)
            .with_context(
                wallet_statement_from=fields.Date.to_string(period[0]),
                wallet_statement_to=fields.Date.to_string(period[1]),
            )
        )
        return report._render_qweb_html(
            "website_wallet.action_report_wallet_statement", partner.ids
        )[0].decode()

    def test_statement_gives_opening_running_balance_and_closing(self):
        values = self.env["report.website_wallet.report_wallet_statement"]._statement(
            self.contact, self.company, *OCTOBER
        )
        self.assertEqual(values["opening"], 70.0)
        self.assertEqual([row["balance"] for row in values["rows"]], [90.0, 140.0])
        self.assertEqual(values["rows"][0]["entry"], self.late_wire)
        self.assertEqual(
            (values["credits"], values["debits"], values["closing"]), (70.0, 0.0, 140.0)
        )
        html = self.render(self.customer, OCTOBER)
        self.assertIn("Opening balance", html)
        self.assertIn(self.late_wire.name, html)
        self.assertIn("140.00", html)
        self.assertNotIn(self.open_wire.name, html, "a pending top-up is not on the statement")

    def test_statement_is_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        html = self.render(self.customer, OCTOBER)
        self.assertIn("03/10/2026", html, "dates as the French write them")
        self.customer.lang = "en_US"
        self.assertIn("10/03/2026", self.render(self.customer, OCTOBER))

    def test_a_portal_user_reads_only_their_own_statement(self):
        self.render(self.customer, OCTOBER, user=self.portal_user)
        with self.assertRaises(AccessError):
            self.render(self.other_customer, OCTOBER, user=self.portal_user)
        outsider = new_test_user(self.env, login="no_wallet_rights", groups="base.group_public")
        with self.assertRaises(AccessError):
            self.render(self.customer, OCTOBER, user=outsider)

    def test_send_statement_emails_the_pdf_to_the_customer(self):
        wizard = (
            self.env["wallet.statement.wizard"]
            .with_user(self.wallet_user)
            .with_context(default_partner_id=self.contact.id)
            .create({"date_from": OCTOBER[0], "date_to": OCTOBER[1]})
        )
        wizard.action_send()
        mail = self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.contact.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.contact)
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertIn("Wallet Statement", mail.attachment_ids.name)
        self.assertIn(self.late_wire.name, base64.b64decode(mail.attachment_ids.datas).decode())
        message = mail.mail_message_id
        self.assertEqual(message.message_type, "comment")
        self.assertIn(message, self.contact.message_ids, "kept in the customer's chatter")

    def test_print_gives_the_chosen_period(self):
        """As the web client prints a report with data: no ids in the URL, the
        record in the context."""
        wizard = (
            self.env["wallet.statement.wizard"]
            .with_user(self.wallet_user)
            .create(
                {"partner_id": self.contact.id, "date_from": SEPTEMBER[0], "date_to": SEPTEMBER[1]}
            )
        )
        action = wizard.action_print()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.wallet_user)
            .with_context(**action["context"])
            ._render_qweb_html(
                "website_wallet.action_report_wallet_statement", None, data=action["data"]
            )[0]
            .decode()
        )
        self.assertIn("09/30/2026", html)
        self.assertNotIn(self.late_wire.name, html, "confirmed in October")
        self.assertIn("70.00", html)


@tagged("post_install", "-at_install")
class TestPortalStatement(StatementFixtures, WalletHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_statement_entries()

    def test_download_statement_gives_the_customers_own_statement(self):
        self.authenticate("wallet_portal", "wallet_portal")
        page = self.url_open("/my/wallet").text
        self.assertIn('action="/my/wallet/statement"', page)
        response = self.url_open("/my/wallet/statement?date_from=2026-10-01&date_to=2026-10-31")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn("Wallet_Statement", response.headers["Content-Disposition"])
        self.assertIn(self.late_wire.name, response.text)
        self.assertNotIn(self.other_customer.name, response.text)
        # Another customer's id in the request changes nothing: there is none to pass.
        other = self.url_open(
            "/my/wallet/statement?date_from=2026-10-01&date_to=2026-10-31"
            f"&partner_id={self.other_customer.id}"
        )
        self.assertNotIn("Goodwill", other.text)

    def test_bad_periods_are_refused(self):
        self.authenticate("wallet_portal", "wallet_portal")
        for query in (
            "date_from=2026-10-31&date_to=2026-10-01",
            "date_from=nonsense&date_to=2026-10-01",
            "",
        ):
            with self.subTest(query=query):
                response = self.url_open(f"/my/wallet/statement?{query}")
                self.assertEqual(response.status_code, 400)

    def test_public_users_are_sent_to_login(self):
        response = self.url_open("/my/wallet/statement", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
