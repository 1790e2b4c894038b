# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    wallet_currency_id = fields.Many2one(
        "res.currency", compute="_compute_wallet", compute_sudo=False
    )
    wallet_balance = fields.Monetary(
        "Available",
        currency_field="wallet_currency_id",
        compute="_compute_wallet",
        help="Money available in the wallet of the commercial partner, in the company currency:"
        " its balance less what is held for payments in progress.",
    )
    wallet_pending = fields.Monetary(
        "Pending Top-ups",
        currency_field="wallet_currency_id",
        compute="_compute_wallet",
        help="Top-ups announced but not yet received (e.g. wire transfers to confirm).",
    )
    wallet_held = fields.Monetary(
        "Held",
        currency_field="wallet_currency_id",
        compute="_compute_wallet",
        help="Set aside for payments in progress (the wallet part of a card payment, a"
        " refund being sent back to a card); booked once captured.",
    )

    wallet_promo_balance = fields.Monetary(
        "Promotional Credit",
        currency_field="wallet_currency_id",
        compute="_compute_wallet",
        help="The part of the available money that the shop granted (cashback, bonuses,"
        " grants); spent first, and it expires.",
    )
    wallet_cash_balance = fields.Monetary(
        "Available Cash",
        currency_field="wallet_currency_id",
        compute="_compute_wallet",
        help="The part of the available money that the customer paid in: the only part a"
        " withdrawal or a top-up's refund can take.",
    )
    wallet_promo_expiry = fields.Date(
        "Next Expiry", compute="_compute_wallet_promo_expiry", compute_sudo=True
    )
    wallet_promo_expiring = fields.Monetary(
        "Expiring Then",
        currency_field="wallet_currency_id",
        compute="_compute_wallet_promo_expiry",
        compute_sudo=True,
        help="The promotional credit that expires at the end of the next expiry date.",
    )
    wallet_topup_rule_ids = fields.One2many(
        "wallet.topup.rule",
        "partner_id",
        "Automatic Top-ups",
        readonly=True,
        groups="website_wallet.group_wallet_user",
    )

    def write(self, vals):
        """Override of `account`, which moves the journal entries of a customer
        who becomes the contact of a company (``parent_id``) to that company:
        the customer's wallets move with them, as Merge Contacts moves them,
        so that the company's wallet, its ledger and its books agree."""
        if not {"parent_id", "is_company"} & vals.keys():
            return super().write(vals)
        owners = self.filtered(lambda partner: partner.commercial_partner_id == partner)
        result = super().write(vals)
        moved = owners.filtered(lambda partner: partner.commercial_partner_id != partner)
        if moved:
            self.env["wallet.balance"].sudo()._move_owners(moved)
        return result

    @api.depends_context("company", "uid")
    def _compute_wallet(self):
        """Read the maintained aggregate: one query for any number of partners,
        whatever the length of their history.  Access rules apply, so a user
        only ever sees the wallets they may read."""
        company = self.env.company
        wallets = self.env["wallet.balance"]
        if wallets.has_access("read"):
            wallets = wallets.search_fetch(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", company.id),
                ],
                ["partner_id", "balance", "pending", "held", "promo_balance", "promo_held"],
            )
        by_partner = {wallet.partner_id.id: wallet for wallet in wallets}
        for partner in self:
            wallet = by_partner.get(partner.commercial_partner_id.id)
            partner.wallet_currency_id = company.currency_id
            # The company's rounding: the wallet's own currency field would
            # read the rest of its row.
            partner.wallet_balance = (
                company.currency_id.round(wallet.balance - wallet.held) if wallet else 0.0
            )
            partner.wallet_pending = wallet.pending if wallet else 0.0
            partner.wallet_held = wallet.held if wallet else 0.0
            partner.wallet_promo_balance = (
                company.currency_id.round(wallet.promo_balance - wallet.promo_held)
                if wallet
                else 0.0
            )
            partner.wallet_cash_balance = company.currency_id.round(
                partner.wallet_balance - partner.wallet_promo_balance
            )

    @api.depends_context("company")
    def _compute_wallet_promo_expiry(self):
        """The soonest expiry of the promotional credit each wallet can spend,
        and how much expires then."""
        for partner in self:
            lots = (
                self.env["wallet.lot"]
                ._spendable(partner.commercial_partner_id, self.env.company)
                .filtered("expiry_date")
            )
            expiry = min(lots.mapped("expiry_date"), default=False)
            partner.wallet_promo_expiry = expiry
            partner.wallet_promo_expiring = sum(
                lot.remaining - lot.held for lot in lots if lot.expiry_date == expiry
            )

    def action_view_wallet_transactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "website_wallet.action_wallet_transaction"
        )
        action.update(
            {
                "name": _("Wallet of %(partner)s", partner=self.commercial_partner_id.display_name),
                "domain": [("partner_id", "=", self.commercial_partner_id.id)],
                "context": {"search_default_group_by_state": 0},
            }
        )
        return action

    def _get_report_base_filename(self):
        """The file name the portal's report helper gives a wallet statement."""
        self.ensure_one()
        return _("Wallet Statement %(partner)s", partner=self.commercial_partner_id.name)
