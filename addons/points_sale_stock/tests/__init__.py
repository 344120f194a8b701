from . import test_delivery_release
from . import test_sale_pickup
from . import test_regional_levels
