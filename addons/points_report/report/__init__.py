from . import points_pool_reconciliation
from . import points_member_statement
