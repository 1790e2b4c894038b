# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: reversal fields named as on account.move; a payment transaction may
move money again after its entry was cancelled (the unique constraint becomes a
partial unique index, created by the model's init)."""


def migrate(cr, version):
    cr.execute(
        "ALTER TABLE wallet_transaction"
        " DROP CONSTRAINT IF EXISTS wallet_transaction_payment_transaction_direction_unique"
    )
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'wallet_transaction' AND column_name = 'reversed_transaction_id'
        """
    )
    if cr.fetchone():
        cr.execute(
            "ALTER TABLE wallet_transaction"
            " RENAME COLUMN reversed_transaction_id TO reversed_entry_id"
        )
        cr.execute(
            "UPDATE ir_model_fields SET name = 'reversed_entry_id'"
            " WHERE model = 'wallet.transaction' AND name = 'reversed_transaction_id'"
        )
