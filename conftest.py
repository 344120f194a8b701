"""pytest configuration of the whole suite.

The engine has one import name, ``odoo.addons.points_engine``, in Odoo and in plain Python alike.
Odoo finds ``addons/`` through its addons path; for runs without a database (the property tests,
the engine's doctests, ``-p no:odoo``) this file, the one place that does so, hooks ``addons/`` on
the ``odoo.addons`` namespace as Odoo's ``initialize_sys_path`` does (Odoo skips a path already
there).

Browser tests (HttpCase tours) need an Odoo HTTP server, which pytest-odoo
cannot restart per test module; they run under Odoo's own test runner
(scripts/test.sh, step 1), so pytest deselects them instead of skipping them.
"""

import os

import odoo.addons

ADDONS = os.path.normcase(os.path.join(os.path.dirname(os.path.abspath(__file__)), "addons"))
if ADDONS not in odoo.addons.__path__:
    odoo.addons.__path__.append(ADDONS)


def pytest_collection_modifyitems(config, items):
    from odoo.tests import HttpCase
    browser = [item for item in items if isinstance(getattr(item, "cls", None), type)
               and issubclass(item.cls, HttpCase)]
    if browser:
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if item not in browser]
