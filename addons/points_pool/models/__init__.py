from . import points_pool_request
from . import points_pool
from . import points_wallet
from . import points_ledger
from . import res_company
from . import res_partner
from . import res_config_settings
from . import account_chart_template
