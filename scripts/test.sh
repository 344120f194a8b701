#!/usr/bin/env bash
# Runs every test of the suite and ends with a pytest summary line:
#   1. Odoo's own runner on a fresh database: the suite's modules installed with
#      --test-enable, so at_install and post_install tests run as Odoo runs them;
#   2. pytest (pytest-odoo) on that database: the modules' tests again (browser
#      tours excepted: they need the HTTP server of step 1), the
#      concurrency tests (real parallel transactions), the hypothesis property
#      tests and the engine's doctests.
# Fails if any test fails or errors, or if any browser test was skipped.
#
#   TEST_DB          test database name (default: points_test); dropped and recreated
#   TEST_HTTP_PORT   port of the test server the browser tests use (default: 8169)
# and the variables of scripts/common.sh (ODOO_SRC, VENV, PGHOST, PGPORT, DB_USER).
source "$(dirname "$0")/common.sh"

TEST_DB="${TEST_DB:-points_test}"
# Browser tests talk to an Odoo HTTP server of their own: keep it off the demo server's port.
TEST_HTTP_PORT="${TEST_HTTP_PORT:-8169}"
LOGS="$ROOT/test-logs"
mkdir -p "$LOGS"
ensure_everything
cd "$ROOT"

MODULES="$(suite_modules)"
TAGS="$(echo "$MODULES" | sed 's/\([^,]*\)/\/\1/g')"
log "Odoo test runner: installing $MODULES in a fresh database $TEST_DB"
dropdb -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists "$TEST_DB"
set +e
odoo_cmd -d "$TEST_DB" -i "$MODULES" --test-enable --test-tags "$TAGS" --stop-after-init \
    --http-port="$TEST_HTTP_PORT" --log-level=test --logfile= 2>&1 | tee "$LOGS/$TEST_DB-odoo-tests.log" | grep -E ' (ERROR|CRITICAL|WARNING) |tests when loading|post-tests in|at_install'
odoo_rc=${PIPESTATUS[0]}
set -e

failed=0
if [ "$odoo_rc" != 0 ] || grep -qE ' (ERROR|CRITICAL) ' "$LOGS/$TEST_DB-odoo-tests.log"; then
    log "Odoo's test runner reported errors (exit $odoo_rc); see $LOGS/$TEST_DB-odoo-tests.log"
    failed=1
fi
if ! grep -qE '0 failed, 0 error\(s\) of [1-9][0-9]* tests' "$LOGS/$TEST_DB-odoo-tests.log"; then
    log "Odoo's test runner did not report a clean run of at least one test"
    failed=1
fi
# Odoo skips browser tests silently (exit 0) when Chromium or websocket-client is missing;
# the suite treats any skipped test as a failure.
if grep -qE ': skipped ' "$LOGS/$TEST_DB-odoo-tests.log"; then
    grep -E ': skipped ' "$LOGS/$TEST_DB-odoo-tests.log" >&2
    if grep -qiE ': skipped .*(chrome|browser|websocket)' "$LOGS/$TEST_DB-odoo-tests.log"; then
        log "BROWSER TESTS WERE SKIPPED: install Debian's chromium and the pinned websocket-client"
    else
        log "SOME ODOO TESTS WERE SKIPPED"
    fi
    failed=1
fi

log "pytest: module tests (pytest-odoo), concurrency, translations, property tests and doctests"
set +e
"$PY" -m pytest -p no:cacheprovider -rs \
    --odoo-database="$TEST_DB" --odoo-config="$ROOT/odoo.conf" --odoo-addons-path="$(odoo_addons_path)" \
    --odoo-extra="db_host=$PGHOST" --odoo-extra="db_port=$PGPORT" --odoo-extra="db_user=$DB_USER" \
    --odoo-extra="db_password=$PGPASSWORD" \
    tests/property tests/doctests tests/concurrency tests/i18n \
    $(for module in ${MODULES//,/ }; do [ -d "addons/$module/tests" ] && echo "addons/$module/tests"; done) \
    2>&1 | tee "$LOGS/$TEST_DB-pytest.log"
pytest_rc=${PIPESTATUS[0]}
set -e
# Every benchmark runs to its end with tiny sizes, so that none can rot (figures are not checked).
log "benchmarks: smoke runs (SMOKE=1 bash scripts/bench.sh)"
set +e
SMOKE=1 BENCH_DB="${TEST_DB}_bench" bash "$ROOT/scripts/bench.sh" > "$LOGS/$TEST_DB-bench-smoke.log" 2>&1
bench_rc=$?
set -e
if [ "$bench_rc" != 0 ]; then
    tail -n 40 "$LOGS/$TEST_DB-bench-smoke.log" >&2
    log "A BENCHMARK FAILED TO RUN (exit $bench_rc); see $LOGS/$TEST_DB-bench-smoke.log"
    failed=1
fi
if grep -qE '^SKIPPED' "$LOGS/$TEST_DB-pytest.log"; then
    log "SOME TESTS WERE SKIPPED (see the SKIPPED lines above): the suite treats a skip as a failure"
    failed=1
fi
if [ "$pytest_rc" != 0 ] || [ "$failed" != 0 ]; then
    log "FAILED (odoo runner: ${odoo_rc}, pytest: ${pytest_rc})"
    exit 1
fi
