from . import models
from .hooks import _post_init_default_plans
