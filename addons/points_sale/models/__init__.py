from . import points_ledger
from . import res_company
from . import res_config_settings
from . import sale_order
from . import account_move
from . import points_pool_request
