"""Suite-level tests: the pure-Python engine is importable as ``points_engine``."""

import os
import sys

ADDONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "addons")
if ADDONS not in sys.path:
    sys.path.insert(0, ADDONS)
