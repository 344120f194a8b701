from . import points_chain_program
from . import points_chain_member
from . import points_reward
from . import points_allocation
from . import res_partner
from . import points_chain_team
