from . import payment
from . import portal
