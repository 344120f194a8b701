from . import test_pos_rewards
