from . import test_import
from . import test_pos_legacy
from . import test_invoice_legacy
