from . import test_spec_examples
from . import test_freeze_release
from . import test_refunds
from . import test_compliance
from . import test_agents
from . import test_reward_access
from . import test_pool_requests
from . import test_reconciliation
