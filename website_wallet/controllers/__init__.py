from . import payment
from . import payment_forms
from . import portal
