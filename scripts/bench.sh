#!/usr/bin/env bash
# Benchmark of the points suite: prints figures next to their goals and asserts
# nothing about timings (see tests/bench/bench_pool.py for what it measures).
# Installs points_pool without demo data in a fresh throwaway database, which
# the benchmark then fills and commits to freely.
#
#   BENCH_DB  benchmark database name (default: points_bench); dropped and recreated,
#             with BENCH_DB_sale (points_sale) and BENCH_DB_plain (plain sale) for the sales figures
# and the variables of scripts/common.sh (ODOO_SRC, VENV, PGHOST, PGPORT, DB_USER).
source "$(dirname "$0")/common.sh"

BENCH_DB="${BENCH_DB:-points_bench}"
ensure_system_packages
ensure_postgres
ensure_venv
cd "$ROOT"

log "installing points_pool in a fresh database $BENCH_DB"
dropdb -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists "$BENCH_DB"
odoo_cmd -d "$BENCH_DB" -i points_pool --without-demo=all --stop-after-init --log-level=warn

for db in "${BENCH_DB}_sale" "${BENCH_DB}_plain"; do
    dropdb -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists "$db"
done
log "installing points_sale in ${BENCH_DB}_sale and plain sale in ${BENCH_DB}_plain"
odoo_cmd -d "${BENCH_DB}_sale" -i points_sale --without-demo=all --stop-after-init --log-level=warn
odoo_cmd -d "${BENCH_DB}_plain" -i sale --without-demo=all --stop-after-init --log-level=warn

log "running the benchmark on $BENCH_DB"
# The same configuration as odoo_cmd, parsed by the script with odoo.tools.config.
"$PY" tests/bench/bench_pool.py -c "$ROOT/odoo.conf" --addons-path="$(odoo_addons_path)" \
    --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$DB_USER" --db_password="$PGPASSWORD" \
    -d "$BENCH_DB" --log-level=warn

log "sales flow: points_sale against plain sale"
"$PY" tests/bench/bench_sale.py -c "$ROOT/odoo.conf" --addons-path="$(odoo_addons_path)" \
    --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$DB_USER" --db_password="$PGPASSWORD" \
    -d "${BENCH_DB}_sale" --plain-db "${BENCH_DB}_plain" --log-level=warn
