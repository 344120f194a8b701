from . import points_demo
