from . import test_role_sale
from . import test_role_pos
from . import test_role_terms
from . import test_role_portal
