from . import account_payment_register
from . import base_partner_merge_automatic_wizard
from . import wallet_adjustment_wizard
from . import wallet_period_mixin
from . import wallet_liability_line
from . import wallet_liability_wizard
from . import wallet_statement_wizard
from . import wallet_withdrawal_wizard
