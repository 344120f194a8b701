from . import test_legacy_portal
