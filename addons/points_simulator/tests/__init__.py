from . import test_simulator
from . import test_dashboard
from . import test_access
from . import test_dashboard_data
