from . import test_sale_referral
