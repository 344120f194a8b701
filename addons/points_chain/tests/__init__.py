from . import test_chain
from . import test_chain_pos
