"""The engine's doctests (SPEC §3.4 golden vectors and the examples of every module), run by pytest.

The modules are imported by their one name, ``odoo.addons.points_engine.*`` (pytest's
``--doctest-modules`` would import the files of ``addons/points_engine`` under a name of its own);
every docstring with examples is one test, as with ``--doctest-modules``, under pytest's default
option flag (ELLIPSIS).
"""

import doctest
import importlib
import pkgutil

import pytest

import odoo.addons.points_engine as engine

PREFIX = "odoo.addons."


def engine_doctests():
    """The doctests of the engine package and of each of its modules, those with examples only."""
    modules = [engine] + [importlib.import_module(f"{engine.__name__}.{info.name}")
                          for info in pkgutil.iter_modules(engine.__path__) if info.name != "__manifest__"]
    finder = doctest.DocTestFinder()
    return [test for module in modules for test in finder.find(module) if test.examples]


DOCTESTS = engine_doctests()


def run(test):
    """Runs one doctest; returns the number of failed examples and the report."""
    report = []
    result = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS).run(test, out=report.append)
    return result.failed, "".join(report)


@pytest.mark.parametrize("test", DOCTESTS, ids=[test.name.removeprefix(PREFIX) for test in DOCTESTS])
def test_doctest(test):
    failed, report = run(test)
    assert failed == 0, report


def test_a_wrong_example_fails():
    """The runner reports a wrong example as a failure (and a right one as none)."""
    parser = doctest.DocTestParser()
    wrong = parser.get_doctest(">>> 1 + 1\n3\n>>> 2 + 2\n4\n", {}, "wrong", None, 0)
    assert run(wrong)[0] == 1
