from . import base_partner_merge_automatic_wizard
from . import wallet_adjustment_wizard
from . import wallet_withdrawal_wizard
