from . import test_sale_points
from . import test_pay_with_points
from . import test_points_paid_earning
from . import test_mint_ratio
