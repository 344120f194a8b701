from . import points_sell_wizard
from . import points_inject_wizard
from . import points_integrity_check
from . import base_partner_merge
