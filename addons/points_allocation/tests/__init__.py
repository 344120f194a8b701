from . import test_allocation_plans
from . import test_line_allocation
