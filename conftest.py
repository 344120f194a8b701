"""pytest configuration of the whole suite.

Browser tests (HttpCase tours) need an Odoo HTTP server, which pytest-odoo
cannot restart per test module; they run under Odoo's own test runner
(scripts/test.sh, step 1), so pytest deselects them instead of skipping them.
"""


def pytest_collection_modifyitems(config, items):
    try:
        from odoo.tests import HttpCase
    except ImportError:  # engine-only runs, without Odoo
        return
    browser = [item for item in items if isinstance(getattr(item, "cls", None), type)
               and issubclass(item.cls, HttpCase)]
    if browser:
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if item not in browser]
