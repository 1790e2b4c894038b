# Copyright 2026 website_wallet developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.3.0: every give-back names its origin (``wallet.origin``).

The refunds and reversals booked before are given the origin their links
already tell: the payment a refund transaction refunds, the credit note a
refund settles, the card payment of a cancelled order, the wallet payment a
reversal gives back.  A refund with no such link (possible before: a payment
of the Wallet journal registered without a credit note) keeps none; the
constraint that asks for one checks new entries only.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        ALTER TABLE wallet_transaction
            ADD COLUMN IF NOT EXISTS origin_transaction_id integer,
            ADD COLUMN IF NOT EXISTS origin_move_id integer
        """
    )
    # Refunds of a wallet payment: the payment their refund transaction refunds.
    cr.execute(
        """
        UPDATE wallet_transaction entry
           SET origin_transaction_id = tx.source_transaction_id
          FROM payment_transaction tx
         WHERE tx.id = entry.payment_transaction_id
           AND entry.kind = 'refund' AND entry.direction = 'credit'
           AND tx.source_transaction_id IS NOT NULL
        """
    )
    # Credit notes refunded to the wallet.
    cr.execute(
        """
        UPDATE wallet_transaction entry
           SET origin_move_id = move.id
          FROM account_move move
         WHERE move.id = entry.invoice_id AND move.move_type = 'out_refund'
           AND entry.kind = 'refund' AND entry.direction = 'credit'
           AND entry.origin_transaction_id IS NULL
        """
    )
    # Cancelled orders paid by card: the order's first card payment.
    cr.execute(
        """
        UPDATE wallet_transaction entry
           SET origin_transaction_id = (
                SELECT MIN(tx.id)
                  FROM sale_order_transaction_rel rel
                  JOIN payment_transaction tx ON tx.id = rel.transaction_id
                 WHERE rel.sale_order_id = entry.sale_order_id
                   AND tx.state = 'done' AND tx.operation != 'refund')
         WHERE entry.kind = 'refund' AND entry.direction = 'credit'
           AND entry.sale_order_id IS NOT NULL AND entry.payment_transaction_id IS NULL
           AND entry.origin_transaction_id IS NULL AND entry.origin_move_id IS NULL
        """
    )
    # Reversals of a wallet payment give that payment back.
    cr.execute(
        """
        UPDATE wallet_transaction entry
           SET origin_transaction_id = reversed.payment_transaction_id
          FROM wallet_transaction reversed
         WHERE reversed.id = entry.reversed_entry_id
           AND entry.kind = 'reversal' AND entry.direction = 'credit'
           AND reversed.kind = 'payment' AND reversed.payment_transaction_id IS NOT NULL
        """
    )
