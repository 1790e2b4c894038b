from . import wallet_adjustment_wizard
