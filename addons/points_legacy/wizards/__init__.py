from . import points_legacy_import_wizard
from . import points_legacy_invoice_pay_wizard
