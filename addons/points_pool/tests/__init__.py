from . import test_golden_vectors
from . import test_bad_input
from . import test_idempotency
from . import test_refund
from . import test_forced_exit
from . import test_accounting
from . import test_access
from . import test_settings_and_wizards
