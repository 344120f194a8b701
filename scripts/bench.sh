#!/usr/bin/env bash
# Benchmarks of the points suite: print figures next to their goals (and ratios
# against plain Odoo measured in the same run); they assert nothing about timings.
#
#   bash scripts/bench.sh [concurrency] [pool] [sale] [pos] [referral] [rebate] [simulator]    (default: all)
#   SMOKE=1 bash scripts/bench.sh ...   tiny sizes: checks that every benchmark still runs (the test script does)
#
# Each Odoo benchmark installs what it needs without demo data in fresh
# throwaway databases named after BENCH_DB (default: points_bench), which it
# fills and commits to freely; plain-Odoo baselines get a database of their own.
# Also takes the variables of scripts/common.sh (ODOO_SRC, VENV, PGHOST, PGPORT, DB_USER).
source "$(dirname "$0")/common.sh"

BENCH_DB="${BENCH_DB:-points_bench}"
BENCHES=("$@")
[ ${#BENCHES[@]} -gt 0 ] || BENCHES=(concurrency pool sale pos referral rebate simulator)
SMOKE_ARGS=()
[ "${SMOKE:-0}" = 1 ] && SMOKE_ARGS=(--smoke)
ensure_everything
cd "$ROOT"

fresh_db() {  # fresh_db NAME MODULES
    dropdb -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists "$1"
    odoo_cmd -d "$1" -i "$2" --without-demo=all --stop-after-init --log-level=warn
}

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
        odoo_bench bench_concurrency.py "${BENCH_DB}_concurrency" "${SMOKE_ARGS[@]}" ;;
    pool)
        log "pool: engine, pool.contribute with accounting, exit lookup"
        fresh_db "$BENCH_DB" points_pool
        odoo_bench bench_pool.py "$BENCH_DB" ;;
    sale)
        log "sales flow: points_sale against plain sale"
        fresh_db "${BENCH_DB}_sale" points_sale
        fresh_db "${BENCH_DB}_sale_plain" sale
        odoo_bench bench_sale.py "${BENCH_DB}_sale" --plain-db "${BENCH_DB}_sale_plain" ;;
    pos)
        log "POS sync: points_pos against plain point_of_sale"
        fresh_db "${BENCH_DB}_pos" points_pos
        fresh_db "${BENCH_DB}_pos_plain" point_of_sale
        odoo_bench bench_pos.py "${BENCH_DB}_pos" --plain-db "${BENCH_DB}_pos_plain" ;;
    referral)
        log "referral tree and rewards"
        fresh_db "${BENCH_DB}_referral" points_reward
        odoo_bench bench_referral.py "${BENCH_DB}_referral" ;;
    rebate)
        log "queued rebate: static release of 1,000,000 due entries"
        fresh_db "${BENCH_DB}_rebate" points_rebate
        odoo_bench bench_rebate.py "${BENCH_DB}_rebate" ;;
    simulator)
        log "simulator (pure Python)"
        "$PY" tests/bench/bench_simulator.py ;;
    *)
        log "unknown benchmark $bench (concurrency, pool, sale, pos, referral, rebate, simulator)"
        exit 2 ;;
    esac
done
