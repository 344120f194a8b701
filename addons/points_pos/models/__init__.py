from . import points_ledger
from . import points_pool_request
from . import res_partner
from . import pos_config
from . import pos_payment_method
from . import pos_order
from . import pos_session
from . import res_config_settings
