#!/usr/bin/env bash
# Re-exports a module's .pot from a database where it is installed and merges it
# into i18n/zh_CN.po, keeping every existing translation; lists what is left
# to translate (and exits 1 if anything is).
#
#   bash scripts/update_translations.sh MODULE [DATABASE]   (default database: points_demo)
source "$(dirname "$0")/common.sh"
MODULE="${1:?module name}"
DB="${2:-points_demo}"
I18N="$ROOT/addons/$MODULE/i18n"
mkdir -p "$I18N"
odoo_cmd -d "$DB" -u "$MODULE" --stop-after-init --log-level=warn
export_log="$(mktemp)"
odoo_cmd -d "$DB" --i18n-export="$I18N/$MODULE.pot" --modules="$MODULE" --stop-after-init --log-level=warn \
    2>&1 | tee "$export_log"
# A string the extractor cannot read is dropped from the .pot: stop before merging loses its translation.
if grep -q Traceback "$export_log"; then log "the export failed (see above); zh_CN.po left unchanged"; exit 1; fi
"$PY" - "$I18N/$MODULE.pot" "$I18N/zh_CN.po" <<'PYEOF'
import os
import sys

import polib

pot_path, po_path = sys.argv[1:]
pot = polib.pofile(pot_path)
known = {}
if os.path.exists(po_path):
    known = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in polib.pofile(po_path) if entry.msgstr}
po = polib.POFile(wrapwidth=78)
po.metadata = dict(pot.metadata, Language="zh_CN", **{"Plural-Forms": "nplurals=1; plural=0;"})
missing = []
for entry in pot:
    entry.msgstr = known.get((entry.msgctxt, entry.msgid), "")
    if not entry.msgstr:
        missing.append(entry.msgid)
    po.append(entry)
po.save(po_path)
for msgid in missing:
    print(f"untranslated: {msgid!r}")
print(f"{len(pot) - len(missing)}/{len(pot)} translated in {po_path}")
sys.exit(1 if missing else 0)
PYEOF
