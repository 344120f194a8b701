from . import points_depth_limit_wizard
from . import points_dividend_close_wizard
from . import points_reward_statement_wizard
