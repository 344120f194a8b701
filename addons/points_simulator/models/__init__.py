from . import points_simulation
from . import points_simulation_line
from . import points_simulation_injection
from . import points_simulation_day
from . import points_simulation_cohort
from . import points_pool_day
from . import points_pool
from . import points_dashboard
