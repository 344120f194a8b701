from . import points_order_mixin
from . import points_reversible_mixin
from . import points_allocation_plan
from . import points_allocation
from . import product
from . import res_company
from . import res_partner
from . import res_config_settings
