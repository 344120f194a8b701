from . import test_demo
