from . import test_pos_points
from . import test_pos_payment
from . import test_pos_pickup
from . import test_pos_tours
from . import test_pos_refund
from . import test_pos_store
from . import test_pos_access
from . import test_pos_points_paid_earning
