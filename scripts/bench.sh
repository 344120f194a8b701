#!/usr/bin/env bash
# Benchmarks of the points suite: print figures next to their goals (and ratios
# against plain Odoo measured in the same run); they assert nothing about timings.
#
#   bash scripts/bench.sh [concurrency] [pool] [sale] [pos] [pos_members] [referral] [rebate] [chain] [legacy] [simulator] [http]
#                                                                                     (default: all)
#   SMOKE=1 bash scripts/bench.sh ...   tiny sizes: checks that every benchmark still runs (the test script does)
#
# Each Odoo benchmark installs what it needs without demo data in fresh
# throwaway databases named after BENCH_DB (default: points_bench), which it
# fills and commits to freely; plain-Odoo baselines get a database of their own.
# Also takes the variables of scripts/common.sh (ODOO_SRC, VENV, PGHOST, PGPORT, DB_USER).
source "$(dirname "$0")/common.sh"

BENCH_DB="${BENCH_DB:-points_bench}"
BENCHES=("$@")
[ ${#BENCHES[@]} -gt 0 ] || BENCHES=(concurrency pool sale pos pos_members referral rebate chain legacy simulator http)
SMOKE_ARGS=()
[ "${SMOKE:-0}" = 1 ] && SMOKE_ARGS=(--smoke)
ensure_everything
cd "$ROOT"

fresh_db() {  # fresh_db NAME MODULES
    dropdb -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists "$1"
    if [ "${SMOKE:-0}" != 1 ]; then
        odoo_cmd -d "$1" -i "$2" --without-demo=all --stop-after-init --log-level=warn
        return
    fi
    # Smoke runs copy a template installed once per run: every suite module (for any points_*
    # database), or the plain modules asked for; installing each database afresh would take longer
    # than the benchmarks themselves.
    local modules="$2"
    case "$modules" in *points_*) modules="$(suite_modules)" ;; esac
    local template="${BENCH_DB}_tpl_$(printf '%s' "$modules" | md5sum | cut -c1-8)"
    if ! printf '%s\n' "${SMOKE_TEMPLATES[@]}" | grep -qx "$template"; then
        dropdb -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists "$template"
        odoo_cmd -d "$template" -i "$modules" --without-demo=all --stop-after-init --log-level=warn
        SMOKE_TEMPLATES+=("$template")
    fi
    createdb -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -T "$template" "$1"
    local filestore="${XDG_DATA_HOME:-$HOME/.local/share}/Odoo/filestore"
    if [ -d "$filestore/$template" ]; then
        rm -rf "${filestore:?}/$1"
        cp -r "$filestore/$template" "$filestore/$1"
    fi
}
SMOKE_TEMPLATES=()

odoo_bench() {  # odoo_bench SCRIPT DATABASE [ARGS...]: the script parses Odoo's options itself
    local script="$1" db="$2"
    shift 2
    "$PY" "tests/bench/$script" -c "$ROOT/odoo.conf" --addons-path="$(odoo_addons_path)" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$DB_USER" --db_password="$PGPASSWORD" \
        -d "$db" --log-level=warn "$@"
}

for bench in "${BENCHES[@]}"; do
    case "$bench" in
    concurrency)
        log "concurrency: 1/4/8/16 callers on one pool against plain Odoo; the sequencer with 1,000,000 wallets"
        fresh_db "${BENCH_DB}_concurrency" points_pool
        fresh_db "${BENCH_DB}_concurrency_pos" points_pos
        fresh_db "${BENCH_DB}_concurrency_pos_plain" point_of_sale
        fresh_db "${BENCH_DB}_concurrency_sale" points_sale
        fresh_db "${BENCH_DB}_concurrency_sale_plain" sale
        odoo_bench bench_concurrency.py "${BENCH_DB}_concurrency" "${SMOKE_ARGS[@]}" \
            --pos-db "${BENCH_DB}_concurrency_pos" --pos-plain-db "${BENCH_DB}_concurrency_pos_plain" \
            --sale-db "${BENCH_DB}_concurrency_sale" --sale-plain-db "${BENCH_DB}_concurrency_sale_plain" ;;
    pool)
        log "pool: engine, pool.contribute with accounting, exit lookup"
        fresh_db "$BENCH_DB" points_pool
        odoo_bench bench_pool.py "$BENCH_DB" "${SMOKE_ARGS[@]}" ;;
    sale)
        log "sales flow: points_sale against plain sale"
        fresh_db "${BENCH_DB}_sale" points_sale
        fresh_db "${BENCH_DB}_sale_plain" sale
        odoo_bench bench_sale.py "${BENCH_DB}_sale" --plain-db "${BENCH_DB}_sale_plain" "${SMOKE_ARGS[@]}" ;;
    pos)
        log "POS sync: points_pos against plain point_of_sale"
        fresh_db "${BENCH_DB}_pos" points_pos
        fresh_db "${BENCH_DB}_pos_plain" point_of_sale
        odoo_bench bench_pos.py "${BENCH_DB}_pos" --plain-db "${BENCH_DB}_pos_plain" "${SMOKE_ARGS[@]}" ;;
    pos_members)
        log "POS opening and customer search with 100,000 members: points_pos against plain point_of_sale"
        fresh_db "${BENCH_DB}_pos_members" points_pos
        fresh_db "${BENCH_DB}_pos_members_plain" point_of_sale
        odoo_bench bench_pos_members.py "${BENCH_DB}_pos_members" --plain-db "${BENCH_DB}_pos_members_plain" \
            "${SMOKE_ARGS[@]}" ;;
    referral)
        log "referral tree and rewards"
        fresh_db "${BENCH_DB}_referral" points_reward
        odoo_bench bench_referral.py "${BENCH_DB}_referral" "${SMOKE_ARGS[@]}" ;;
    rebate)
        log "queued rebate: static release of 1,000,000 due entries"
        fresh_db "${BENCH_DB}_rebate" points_rebate
        if [ "${SMOKE:-0}" = 1 ]; then
            odoo_bench bench_rebate.py "${BENCH_DB}_rebate" --entries 2000 --members 200 --plain-lines 100
        else
            odoo_bench bench_rebate.py "${BENCH_DB}_rebate"
        fi ;;
    chain)
        log "chain reward 2+1: a package order 10,000 levels below the team boss; re-assignment of 100,000 agents"
        fresh_db "${BENCH_DB}_chain" points_chain
        odoo_bench bench_chain.py "${BENCH_DB}_chain" "${SMOKE_ARGS[@]}" ;;
    legacy)
        log "legacy members: import of 10,000 members (preview and import) against plain base_import"
        fresh_db "${BENCH_DB}_legacy" points_legacy
        odoo_bench bench_legacy.py "${BENCH_DB}_legacy" "${SMOKE_ARGS[@]}" ;;
    simulator)
        log "simulator (pure Python)"
        "$PY" tests/bench/bench_simulator.py --addons-path="$(odoo_addons_path)" "${SMOKE_ARGS[@]}" ;;
    http)
        log "HTTP load: member API sells and POS syncs against a prefork Odoo server (HTTP_PORT, default 8269)"
        fresh_db "${BENCH_DB}_http" points_portal,points_pos
        odoo_bench load_http.py "${BENCH_DB}_http" --port "${HTTP_PORT:-8269}" "${SMOKE_ARGS[@]}" ;;
    *)
        log "unknown benchmark $bench (concurrency, pool, sale, pos, pos_members, referral, rebate, chain, legacy, simulator, http)"
        exit 2 ;;
    esac
done
