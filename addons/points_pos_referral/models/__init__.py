from . import pos_order
