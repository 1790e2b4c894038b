from . import test_accounting
from . import test_concurrency
from . import test_install
from . import test_ledger
from . import test_partner
from . import test_portal_tour
from . import test_security
