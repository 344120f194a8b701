from . import test_binding
from . import test_team_stats
from . import test_ranks
from . import test_access
from . import test_partner_merge
