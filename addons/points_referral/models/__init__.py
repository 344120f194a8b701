from . import points_rank
from . import points_rank_history
from . import points_referral_move
from . import points_team_stat
from . import res_partner
from . import res_users
from . import points_allocation
from . import res_config_settings
