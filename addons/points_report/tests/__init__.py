from . import test_reconciliation_report
from . import test_member_statement
from . import test_access
from . import test_report_pdf
