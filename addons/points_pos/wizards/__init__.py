from . import points_pickup_wizard
