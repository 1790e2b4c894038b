# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models


class IrCron(models.Model):
    _inherit = "ir.cron"

    @api.model
    def _wallet_trigger_after_commit(self, xmlid):
        """Wake the cron ``xmlid`` once this database transaction has
        committed, once per transaction, from a cursor of its own: the
        transaction that moved the money writes nothing for it, and a rolled
        back one wakes nothing.  Should the wake-up be lost (the server
        stopping just then), the cron's own schedule runs a little later."""
        postcommit = self.env.cr.postcommit
        if postcommit.data.get(xmlid):
            return
        postcommit.data[xmlid] = True

        def wake():
            with self.env.registry.cursor() as cr:
                self.env(cr=cr, su=True).ref(xmlid)._trigger()

        postcommit.add(wake)
