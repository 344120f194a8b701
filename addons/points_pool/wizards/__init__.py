from . import points_sell_wizard
from . import points_inject_wizard
from . import points_integrity_check
