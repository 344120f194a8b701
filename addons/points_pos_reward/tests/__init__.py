from . import test_pos_rewards
from . import test_pos_regional_levels
