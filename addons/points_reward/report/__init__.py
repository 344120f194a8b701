from . import points_reward_statement
