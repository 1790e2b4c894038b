from . import account_chart_template
from . import payment_provider
from . import payment_transaction
from . import res_company
from . import res_partner
from . import wallet_balance
from . import wallet_transaction
from . import website
