from . import test_pos_referral
from . import test_pos_referral_tours
