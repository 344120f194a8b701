#!/usr/bin/env bash
# Sets everything up and runs the product: system packages, virtualenv, Odoo
# 18.0, PostgreSQL and its role, a demo database with the suite's modules and
# demo data, then Odoo on http://127.0.0.1:8069 (Ctrl-C stops it).
#
#   DEMO_DB   demo database name (default: points_demo)
#   RESET=1   drop and recreate the demo database
# and the variables of scripts/common.sh (ODOO_SRC, VENV, PGHOST, PGPORT, DB_USER).
source "$(dirname "$0")/common.sh"

DEMO_DB="${DEMO_DB:-points_demo}"
ensure_everything

if [ "${RESET:-0}" = 1 ]; then
    dropdb -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists "$DEMO_DB"
fi
if psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d "$DEMO_DB" -tAc 'select 1' >/dev/null 2>&1; then
    log "updating the suite's modules in $DEMO_DB"
    odoo_cmd -d "$DEMO_DB" -u "$(suite_modules)" --stop-after-init --log-level=warn
else
    log "creating demo database $DEMO_DB with $(suite_modules)"
    odoo_cmd -d "$DEMO_DB" -i "$(suite_modules)" --load-language=zh_CN --stop-after-init --log-level=warn
fi

cat <<MSG

  Odoo is starting on http://127.0.0.1:8069/odoo/action-points_pool.points_pool_action_current
  database: $DEMO_DB    login: admin    password: admin
  (switch the language to 简体中文 in the user preferences, and the company to 演示商城 (Demo Mall)
   for the demo economy; Ctrl-C stops the server)

MSG
exec "$PY" -m odoo -c "$ROOT/odoo.conf" --addons-path="$(odoo_addons_path)" \
    --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$DB_USER" --db_password="$PGPASSWORD" \
    -d "$DEMO_DB" --db-filter="^$DEMO_DB\$"
