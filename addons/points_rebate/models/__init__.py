from . import points_pool
from . import points_ledger
from . import points_rebate_entry
from . import points_allocation
from . import points_allocation_plan
from . import product
from . import res_config_settings
