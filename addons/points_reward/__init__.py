from . import models
from . import report
from . import wizards
from .hooks import _post_init_reward_accounts
