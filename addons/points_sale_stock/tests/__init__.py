from . import test_delivery_release
