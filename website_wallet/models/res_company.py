# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..const import PROVIDER_CODE

WALLET_JOURNAL_CODE = "WALL"
# Not payable nor credit card: those are reconciled with bills and cards.
WALLET_ACCOUNT_TYPES = ("liability_current", "liability_non_current")
# Wallet Promotions: an expense, or a reduction of revenue.
PROMOTIONS_ACCOUNT_TYPES = ("expense", "income", "income_other")


class ResCompany(models.Model):
    _inherit = "res.company"

    wallet_account_id = fields.Many2one(
        "account.account",
        "Customer Wallet Account",
        check_company=True,
        domain=[("account_type", "in", WALLET_ACCOUNT_TYPES)],
        help="Current liability that holds the money customers keep in their wallets.",
    )
    wallet_journal_id = fields.Many2one(
        "account.journal",
        check_company=True,
        domain="[('type', '=', 'bank')]",
        help="Journal of the payments made from and to wallets, and of manual adjustments.",
    )
    wallet_promo_account_id = fields.Many2one(
        "account.account",
        "Promotional Credit Account",
        check_company=True,
        domain=[("account_type", "in", WALLET_ACCOUNT_TYPES)],
        help="Liability that holds the promotional credit (grants, cashback, bonuses)"
        " customers can still spend.",
    )
    wallet_promotions_account_id = fields.Many2one(
        "account.account",
        check_company=True,
        domain=[("account_type", "in", PROMOTIONS_ACCOUNT_TYPES)],
        help="What promotional credit costs: an expense (by default), or a reduction of"
        " revenue. Credited back when the credit expires or is clawed back.",
    )
    wallet_expiry_warning_days = fields.Integer(
        "Warn Before Expiry (days)",
        default=7,
        help="Customers get an email this many days before their promotional credit"
        " expires; 0 for none.",
    )

    @api.constrains("wallet_account_id")
    def _check_wallet_account(self):
        for company in self.filtered("wallet_account_id"):
            company._check_wallet_account_fits(company.wallet_account_id)

    def _check_wallet_account_fits(self, account):
        if account.account_type not in WALLET_ACCOUNT_TYPES or self not in account.company_ids:
            raise ValidationError(
                _(
                    "The Customer Wallet account must be a current or non-current liability"
                    " account of %(company)s.",
                    company=self.name,
                )
            )

    def write(self, vals):
        """Override of `base` to check a new Customer Wallet account, and to
        move wallet payments to a new account or journal at once."""
        for field in ("wallet_account_id", "wallet_promo_account_id"):
            if vals.get(field):
                account = self.env["account.account"].browse(vals[field])
                for company in self:
                    company._check_wallet_account_fits(account)
                self._check_wallet_account_unused(field, vals[field])
        result = super().write(vals)
        if {"wallet_account_id", "wallet_journal_id"} & vals.keys():
            # Wallet payments follow the new journal or account at once.
            self.filtered(
                lambda company: company.wallet_account_id and company.wallet_journal_id
            )._wallet_link_accounting()
        return result

    def _check_wallet_account_unused(self, field, account_id):
        """A wallet account ties to the ledger: once a company has wallet
        entries, moving to another account would leave part of the balance
        behind, and the books would no longer agree."""
        changing = self.filtered(lambda company: company[field] and company[field].id != account_id)
        if changing and self.env["wallet.transaction"].sudo().search_count(
            [("company_id", "in", changing.ids)], limit=1
        ):
            raise UserError(
                _(
                    "The %(account)s cannot change once wallets have entries: the balances"
                    " already booked would stay on the old account.",
                    account=self._fields[field].string,
                )
            )

    def _wallet_ledger_accounts(self):
        """The accounts only the wallet ledger books on: the Customer Wallet and
        the Promotional Credit accounts of these companies."""
        return self.sudo().wallet_account_id | self.sudo().wallet_promo_account_id

    def _wallet_setup_accounting(self):
        """Give every company with a chart of accounts its wallet account and journal.

        Run on install, and again whenever a wallet is used in a company that
        got its chart later.  Companies without a chart are left alone.
        """
        for company in self:
            if not company.chart_template:
                continue
            if not company.wallet_account_id:
                company.wallet_account_id = company._wallet_create_account()
            if not company.wallet_journal_id:
                company.wallet_journal_id = company._wallet_create_journal()
            if not company.wallet_promo_account_id:
                company.wallet_promo_account_id = company._wallet_create_account(
                    _("Promotional Credit")
                )
            if not company.wallet_promotions_account_id:
                company.wallet_promotions_account_id = company._wallet_create_account(
                    _("Wallet Promotions"), account_type="expense"
                )
            company._wallet_link_accounting()

    def _wallet_link_accounting(self):
        for company in self:
            company._wallet_link_provider()
            company._wallet_route_journal_payments()

    def _wallet_create_account(self, name=None, account_type="liability_current"):
        """An account of ``account_type`` (a current liability, the Customer
        Wallet, by default), with the first free code after the accounts of
        that type the company's chart already has."""
        self.ensure_one()
        Account = self.env["account.account"].with_company(self)
        same_type = Account.search(
            [*Account._check_company_domain(self), ("account_type", "=", account_type)]
        )
        codes = sorted(code for code in same_type.mapped("code") if code)
        receivable = self.partner_id.with_company(self).property_account_receivable_id
        start = codes[-1] if codes else "2".ljust(len(receivable.code or "") or 6, "0")
        return Account.create(
            {
                "name": name or _("Customer Wallet"),
                "code": Account._search_new_account_code(start),
                "account_type": account_type,
                "reconcile": False,
                "company_ids": [Command.set(self.ids)],
            }
        )

    def _wallet_create_journal(self):
        self.ensure_one()
        Journal = self.env["account.journal"].with_company(self)
        code = WALLET_JOURNAL_CODE
        suffix = 1
        while Journal.search_count([("code", "=", code), ("company_id", "=", self.id)]):
            code = f"WAL{suffix}"
            suffix += 1
        # A bank-type journal, because payments (and payment providers) need
        # one; its own account is the Customer Wallet, so that no unused cash
        # account appears in the chart.  Sequenced last, so that providers
        # enabled later keep defaulting to the real bank journal.
        return Journal.create(
            {
                "name": _("Wallet"),
                "code": code,
                "type": "bank",
                "sequence": 999,
                "company_id": self.id,
                "default_account_id": self.wallet_account_id.id,
            }
        )

    def _wallet_link_provider(self):
        """The company's wallet provider records its payments in the Wallet journal.

        A company without one (created after the install) gets a copy of the
        addon's provider, enabled and published as the first one is, as core
        does for the providers it sets up on onboarding.
        """
        self.ensure_one()
        Provider = self.env["payment.provider"].sudo()
        providers = Provider.search([("code", "=", PROVIDER_CODE), ("company_id", "=", self.id)])
        if not providers:
            providers = (
                self.env.ref("website_wallet.payment_provider_wallet")
                .sudo()
                .copy({"company_id": self.id, "state": "enabled", "is_published": True})
            )
        # The journal is computed from the provider's payment method line; read
        # it afresh: the line may not exist yet (the payment method of the
        # provider is created by the post-init hook, after the demo data).
        providers.invalidate_recordset(["journal_id"])
        providers.filtered(
            lambda p: p.journal_id != self.wallet_journal_id
        ).journal_id = self.wallet_journal_id

    def _wallet_route_journal_payments(self):
        """Book every payment of the Wallet journal on the Customer Wallet account:
        an inbound one (a wallet pays) debits it, an outbound one (a refund to
        the wallet) credits it."""
        self.ensure_one()
        journal = self.wallet_journal_id
        lines = journal.inbound_payment_method_line_ids | journal.outbound_payment_method_line_ids
        lines.filtered(lambda line: line.payment_account_id != self.wallet_account_id).write(
            {"payment_account_id": self.wallet_account_id.id}
        )

    def _wallet_accounting(self):
        """Return (account, journal), set up on first use, or explain what is missing."""
        self.ensure_one()
        if not (self.wallet_account_id and self.wallet_journal_id):
            self.sudo()._wallet_setup_accounting()
        if not (self.wallet_account_id and self.wallet_journal_id):
            raise UserError(
                _(
                    "Company %(company)s has no Customer Wallet account or Wallet journal."
                    " Install a chart of accounts, then set them in the Settings.",
                    company=self.name,
                )
            )
        return self.wallet_account_id, self.wallet_journal_id

    def _wallet_promo_accounting(self):
        """Return (Promotional Credit account, Wallet Promotions account), set
        up on first use, or explain what is missing."""
        self.ensure_one()
        if not (self.wallet_promo_account_id and self.wallet_promotions_account_id):
            self.sudo()._wallet_setup_accounting()
        if not (self.wallet_promo_account_id and self.wallet_promotions_account_id):
            raise UserError(
                _(
                    "Company %(company)s has no Promotional Credit or Wallet Promotions"
                    " account. Install a chart of accounts, then set them in the Settings.",
                    company=self.name,
                )
            )
        return self.wallet_promo_account_id, self.wallet_promotions_account_id
