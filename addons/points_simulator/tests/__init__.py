from . import test_simulator
from . import test_reconciliation_report
from . import test_member_statement
from . import test_dashboard
from . import test_access
from . import test_report_pdf
from . import test_dashboard_data
