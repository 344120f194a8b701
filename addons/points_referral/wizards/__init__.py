from . import points_referral_bind_wizard
from . import points_rank_set_wizard
from . import base_partner_merge
