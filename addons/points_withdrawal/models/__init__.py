from . import points_ledger
from . import points_pool
from . import points_wallet
from . import points_payee
from . import points_withdrawal
from . import tier_definition
from . import points_transfer
from . import res_config_settings
