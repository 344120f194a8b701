from . import test_chain
from . import test_chain_pos
from . import test_chain_team
from . import test_chain_engine
