from . import test_spec_example
from . import test_queue
from . import test_refunds
from . import test_access
from . import test_portal
from . import test_pool_requests
from . import test_stored_texts_lang
from . import test_reconciliation
