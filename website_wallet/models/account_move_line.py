# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, models
from odoo.exceptions import UserError

# What a posted journal item books, and for whom.
BOOKED_FIELDS = frozenset(
    {
        "account_id",
        "partner_id",
        "debit",
        "credit",
        "balance",
        "amount_currency",
        "currency_id",
        "move_id",
        "company_id",
    }
)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def write(self, vals):
        """Override of `account` to keep the Customer Wallet account as the
        ledger booked it.

        Odoo lets a posted journal item be re-pointed (another account,
        another partner, by RPC too).  On the Customer Wallet account that
        would move the books but not the wallets: a posted item on it keeps
        its account, partner and amounts, and no posted item moves onto it.
        The one change allowed follows its owner: when a customer becomes
        the contact of a company, Odoo moves its journal items to the
        company, and the wallet moves with them (``res.partner.write``).
        """
        if BOOKED_FIELDS & vals.keys():
            self._wallet_check_booked_change(vals)
        return super().write(vals)

    def _wallet_check_booked_change(self, vals):
        for line in self.filtered(lambda line: line.parent_state == "posted").sudo():
            wallet_accounts = line.company_id._wallet_ledger_accounts()
            if not wallet_accounts:
                continue
            changed = line._wallet_changed_fields(vals)
            onto_wallet = "account_id" in changed and vals["account_id"] in wallet_accounts.ids
            if not changed or not (line.account_id in wallet_accounts or onto_wallet):
                continue
            follows_owner = changed == {"partner_id"} and (
                vals["partner_id"] == line.partner_id.commercial_partner_id.id
            )
            if not follows_owner:
                raise UserError(
                    _(
                        "%(item)s is a posted journal item of a wallet account (Customer Wallet,"
                        " Promotional Credit), which only the wallet ledger books: its account,"
                        " partner and amounts cannot change, and no other item can move onto it."
                        " Correct the wallet with"
                        " Reverse or a Wallet Adjustment instead.",
                        item=line.move_id.display_name,
                    )
                )

    def _wallet_changed_fields(self, vals):
        """The booked fields that ``vals`` really changes (Odoo often writes a
        posted item's values again unchanged, when its payment is saved)."""
        self.ensure_one()
        changed = set()
        for name in BOOKED_FIELDS & vals.keys():
            field = self._fields[name]
            current = self[name]
            if field.type == "many2one":
                differs = current.id != (vals[name] or False)
            else:
                differs = self.company_currency_id.compare_amounts(current, vals[name] or 0.0)
            if differs:
                changed.add(name)
        return changed
