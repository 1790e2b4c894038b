# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models

from ..const import PROVIDER_CODE


class PaymentTransaction(models.Model):
    """Promotional credit that payments earn: a top-up's bonus, credited with
    it and clawed back in proportion to its refunds; and an order's
    cashback (``sale.order``), credited once the order is paid and clawed
    back in proportion to what is given back of it.

    Both follow the payment framework's post-processing, once the money has
    moved; each is computed again from the payments every time, so a replay,
    a second refund or a refund in two tabs changes nothing twice.
    """

    _inherit = "payment.transaction"

    wallet_website_id = fields.Many2one(
        "website",
        "Top-up Website",
        readonly=True,
        help="The website a top-up was made on: its bonus tiers apply.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """Override of `payment`: a top-up remembers its website, whose bonus
        tiers it earns."""
        for vals in vals_list:
            if vals.get("is_wallet_topup") and not vals.get("wallet_website_id"):
                website = self.env["website"].get_current_website()
                vals["wallet_website_id"] = website.id
        return super().create(vals_list)

    def _post_process(self):
        """Override of `payment`: once the money has moved, a top-up earns its
        bonus, a paid order its cashback, and a refund claws back their
        share."""
        result = super()._post_process()
        self.filtered(lambda tx: tx.state == "done")._wallet_follow_promotions()
        return result

    def _wallet_follow_promotions(self):
        for transaction in self:
            source = transaction._wallet_topup_source()
            if source:
                source._wallet_settle_bonus()
                continue
            paid = (
                transaction.source_transaction_id
                if transaction.operation == "refund"
                else transaction
            )
            paid.sale_order_ids._wallet_settle_cashback()

    # ------------------------------------------------------------------
    # Top-up bonus
    # ------------------------------------------------------------------

    def _wallet_topup_credited(self):
        """What this top-up put into the wallet: its own credit, or its
        captures' credits."""
        self.ensure_one()
        captures = self | self.child_transaction_ids.filtered(lambda tx: tx.operation != "refund")
        entries = captures.wallet_transaction_ids.filtered(
            lambda entry: entry.direction == "credit" and entry.state == "done"
        )
        return sum(entries.mapped("amount"))

    def _wallet_topup_refunded(self):
        """What the refunds of this top-up (and of its captures) took back, and
        the reversals of its credits (a top-up confirmed by mistake)."""
        self.ensure_one()
        captures = self | self.child_transaction_ids
        refunds = captures.child_transaction_ids.filtered(
            lambda tx: tx.operation == "refund" and tx.state == "done"
        )
        reversals = captures.wallet_transaction_ids.reversal_entry_ids.filtered(
            lambda entry: entry.state == "done"
        )
        return -sum(refunds.mapped("amount")) + sum(reversals.mapped("amount"))

    def _wallet_settle_bonus(self):
        """Credit the bonus this top-up earned on its website, once; then claw
        back its share of what has been refunded of the top-up."""
        self.ensure_one()
        Lot = self.env["wallet.lot"].sudo()
        credited = self._wallet_topup_credited()
        lot = Lot.search([("topup_transaction_id", "=", self.id), ("source", "=", "bonus")])
        if not lot:
            tier = self.env["wallet.bonus.tier"]._for_topup(self.wallet_website_id, credited)
            if not tier or self.currency_id.is_zero(credited):
                return
            entry = (
                self.env["wallet.transaction"]
                .sudo()
                ._credit(
                    self.partner_id,
                    tier.bonus,
                    kind="bonus",
                    company=self.company_id,
                    description=_("Bonus for top-up %(ref)s", ref=self.reference),
                    lot_values={
                        "expiry_date": tier._expiry_date(),
                        "topup_transaction_id": self.id,
                    },
                )
            )
            lot = entry.lot_ids
        share = min(self._wallet_topup_refunded() / credited, 1.0) if credited else 1.0
        self.env["wallet.transaction"].sudo()._claw_back(
            lot, lot.amount * share, _("Top-up %(ref)s refunded", ref=self.reference)
        )

    # ------------------------------------------------------------------
    # Cashback
    # ------------------------------------------------------------------

    def _wallet_cash_paid(self):
        """What these payments paid in cash or by card: a wallet payment's
        promotional part does not count."""
        paid = 0.0
        for transaction in self:
            if transaction.provider_code != PROVIDER_CODE:
                paid += transaction.amount
                continue
            entry = transaction._wallet_live_entry("debit")
            paid += entry.amount - entry.promo_amount
        return paid
