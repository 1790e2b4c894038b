# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.2.0: entries store the accounting date of their posting.

Filled here in one statement from each entry's journal entry, rather than by
the ORM recomputing the new stored field entry by entry.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE wallet_transaction ADD COLUMN IF NOT EXISTS accounting_date date")
    cr.execute(
        """
        UPDATE wallet_transaction entry
           SET accounting_date = move.date
          FROM account_move move
         WHERE move.id = entry.move_id
        """
    )
