from . import points_reward
from . import sale_order
from . import stock_picking
