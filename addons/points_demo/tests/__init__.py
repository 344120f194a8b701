from . import test_bucket_order
from . import test_demo
from . import test_rules_through_sales
