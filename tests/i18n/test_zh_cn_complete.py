"""Every user-facing string of every suite module has a Simplified Chinese translation.

The source terms are read from the installed modules exactly as Odoo's export
reads them (code, views, fields, selections, menus, demo excluded), so a new
string that is not in ``i18n/zh_CN.po`` fails here, not in front of an operator.
"""

import os
import re

import polib
import pytest

import odoo
from odoo.tools import config
from odoo.tools.translate import TranslationModuleReader

ADDONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "addons")
MODULES = sorted(name for name in os.listdir(ADDONS) if os.path.isfile(os.path.join(ADDONS, name, "__manifest__.py")))
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}")


@pytest.mark.parametrize("module", MODULES)
def test_zh_cn_translates_every_term(module):
    po_path = os.path.join(ADDONS, module, "i18n", "zh_CN.po")
    assert os.path.exists(po_path), f"{module} has no i18n/zh_CN.po"
    translations = {entry.msgid: entry.msgstr for entry in polib.pofile(po_path) if entry.msgstr and not entry.fuzzy}
    registry = odoo.modules.registry.Registry(config["db_name"])
    with registry.cursor() as cr:
        sources = {source for _module, _type, _name, _res_id, source, _value, _comments
                   in TranslationModuleReader(cr, modules=[module]) if source}
    missing = sorted(sources - set(translations))
    assert not missing, f"{module}: {len(missing)} terms without zh_CN translation, e.g. {missing[:5]}"
    for source in sources:
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translations[source])), source
