from . import points_rebate_inject_wizard
