"""Real parallel transactions on one pool through Odoo's RPC retry loop: nobody waits for the pool or fails.

Each caller runs in its own cursor through ``odoo.service.model.retrying`` (5 tries
with back-off, as an RPC call), so a serialization failure would show as a retry
and a lost call as an exception. The pool's sequencer applies the requests after
the callers' commits; the tests then check the chain of prices and SPEC §3.3.
Every test works in a company of its own (the transactions commit).
"""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from decimal import Decimal

import psycopg2
import psycopg2.errorcodes
import pytest
from psycopg2 import OperationalError

import odoo
from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.tools import SQL, config

CALLERS = 16
CONCURRENCY_ERRORS = {psycopg2.errorcodes.SERIALIZATION_FAILURE, psycopg2.errorcodes.LOCK_NOT_AVAILABLE,
                      psycopg2.errorcodes.DEADLOCK_DETECTED}


def registry_with(model, module):
    """The test database's registry, failing (never skipping) when ``module`` is not installed there."""
    registry = odoo.modules.registry.Registry(config["db_name"])
    if model and model not in registry:
        pytest.fail(f"{module} is not installed in the test database")
    return registry


@pytest.fixture(scope="module")
def registry():
    return registry_with(None, None)


class Calls:
    """Runs functions as RPC calls would run, and counts what went wrong."""

    #: Exceptions that are answers to the caller (a refusal), not failures.
    refusal_types = ()

    def __init__(self, registry):
        self.registry = registry
        self.failures = []
        self.refusals = []
        self.serialization_failures = []
        self.durations = []
        self.lock = threading.Lock()

    def call(self, func):
        started = time.monotonic()
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})

                def attempt():
                    try:
                        return func(env)
                    except OperationalError as error:
                        if error.pgcode in CONCURRENCY_ERRORS:
                            with self.lock:
                                self.serialization_failures.append(str(error).splitlines()[0])
                        raise

                return retrying(attempt, env)
        except self.refusal_types as refusal:
            with self.lock:
                self.refusals.append(str(refusal))
            return None
        except Exception as error:  # noqa: BLE001 (counted and reported by the test)
            with self.lock:
                self.failures.append(repr(error))
            return None
        finally:
            with self.lock:
                self.durations.append(time.monotonic() - started)


def run_together(targets, timeout=300):
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a caller did not finish in time"


def read(registry, func):
    with registry.cursor() as cr:
        return func(api.Environment(cr, SUPERUSER_ID, {}))


def new_company(registry, members, **pool_values):
    def create(env):
        company = env["res.company"].create({"name": f"Sequencer {uuid.uuid4().hex[:8]}"})
        pool = env["points.pool"]._get_for_company(company)
        if pool_values:
            pool.write(pool_values)
        partners = env["res.partner"].create([{"name": f"Parallel member {n}"} for n in range(members)])
        receivable = env["account.account"].sudo().with_company(company).create({
            "name": "Receivable", "code": f"1211{uuid.uuid4().int % 10000:04d}", "account_type": "asset_receivable",
            "reconcile": True, "company_ids": [(6, 0, company.ids)]})
        for partner in partners:
            partner.with_company(company).property_account_receivable_id = receivable
            env["points.wallet"]._get_for_partner(partner, company)  # members: they may receive transfers
        if "points.withdrawal" in env:
            outstanding = env["account.account"].create({
                "name": "Outstanding Payments", "code": "101299", "account_type": "asset_current",
                "reconcile": True, "company_ids": [(6, 0, company.ids)]})
            journal = env["account.journal"].create(
                {"name": "Member Payouts", "code": "WDBK", "type": "bank", "company_id": company.id})
            journal.outbound_payment_method_line_ids.payment_account_id = outstanding
            pool.write({"transfer_enabled": True, "withdrawal_min_amount": 0, "withdrawal_daily_limit": 0})
        return pool.id, partners.ids
    return read(registry, lambda env: (create(env), env.cr.commit())[0])


@contextmanager
def pool_held(registry, pool_id, nowait=False):
    """Another connection holds the pool (its balance row) until the block ends, then lets go.

    ``nowait``: raise at once (LockNotAvailable) if someone else holds it.
    """
    holder = psycopg2.connect(dbname=registry.db_name, host=config["db_host"] or None,
                              port=config["db_port"] or None, user=config["db_user"] or None,
                              password=config["db_password"] or None)
    try:
        with holder.cursor() as cr:
            cr.execute(f"SELECT id FROM points_pool_state WHERE pool_id = %s FOR UPDATE{' NOWAIT' if nowait else ''}",
                       (pool_id,))
            yield
        holder.rollback()
    finally:
        holder.close()


def drain(registry, pool_id, timeout=120):
    """Drains like the safety-net job, until no request of the pool is pending."""
    Pool = type(read(registry, lambda env: env["points.pool"]))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        Pool._drain(registry.db_name, pool_id, passes=50)
        if not read(registry, lambda env: env["points.pool.request"].search_count(
                [("pool_id", "=", pool_id), ("state", "=", "pending")])):
            return
        time.sleep(0.1)
    raise AssertionError("the pool did not drain")


def check_chain_and_integrity(env, pool_id):
    pool = env["points.pool"].browse(pool_id)
    rows = env["points.ledger"].search([("pool_id", "=", pool_id)], order="id")
    for previous, row in zip(rows, rows[1:]):
        assert row.price_before == previous.price_after, (previous.id, row.id)
    assert pool._integrity_breaches() == []
    return pool, rows


def wait_for_points(calls, pool_id, member_id, timeout=30):
    """A member sells or pays with points they can see: polls (fresh transactions) until some are there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        available = calls.call(lambda env: env["points.wallet"]._get_for_partner(
            env["res.partner"].browse(member_id), env["points.pool"].browse(pool_id).company_id)._available_points())
        if available and available > 1:
            return available
        time.sleep(0.05)
    raise AssertionError("the member's points never arrived")


def wait_for_cash(calls, pool_id, member_id, amount, timeout=30):
    """A member sends or withdraws cash they can see: polls until the sale that brings it is applied."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        available = calls.call(lambda env: env["points.wallet"]._get_for_partner(
            env["res.partner"].browse(member_id), env["points.pool"].browse(pool_id).company_id)._available_cash_now())
        if available is not None and available >= amount:
            return available
        time.sleep(0.05)
    raise AssertionError("the member's cash never arrived")


def test_sixteen_callers_never_fail_nor_hit_a_serialization_failure(registry):
    """Contributions, sells, payments with points, refunds, transfers and withdrawal requests from 16 callers at
    once on one pool."""
    rounds = 3
    pool_id, member_ids = new_company(registry, CALLERS)
    wallet_services = "points.withdrawal" in registry
    calls = Calls(registry)

    def caller(member_id):
        def member(env):
            return env["res.partner"].browse(member_id)

        def pool(env):
            return env["points.pool"].browse(pool_id)

        orders = []
        for n in range(rounds):
            order = calls.call(lambda env: env["res.partner.category"].create({"name": f"Order {member_id}/{n}"}).id)
            orders.append(order)
            calls.call(lambda env: pool(env).contribute(
                member(env), 1000, 300, source=env["res.partner.category"].browse(order)).id)
            wait_for_points(calls, pool_id, member_id)
            calls.call(lambda env: pool(env).sell(member(env), 1).id)
            payment = calls.call(lambda env: env["res.partner.category"].create({"name": f"Pay {member_id}/{n}"}).id)
            calls.call(lambda env: pool(env).redeem(
                member(env), 5, env["res.partner.category"].browse(payment), amount=2.50).id)
            calls.call(lambda env: pool(env).reverse(
                env["res.partner.category"].browse(orders[0]), 0.1,
                refund_source=env["res.partner.category"].browse(payment)).id)
            if wallet_services:
                wait_for_cash(calls, pool_id, member_id, Decimal("0.75"))
                recipient = member_ids[(member_ids.index(member_id) + 1) % len(member_ids)]
                calls.call(lambda env: env["points.transfer"]._transfer(
                    member(env), env["res.partner"].browse(recipient), cash=0.5, company=pool(env).company_id).id)
                calls.call(lambda env: env["points.withdrawal"]._request(
                    member(env), 0.25, company=pool(env).company_id).id)

    run_together([lambda member_id=member_id: caller(member_id) for member_id in member_ids])
    drain(registry, pool_id)

    assert calls.failures == []
    assert calls.serialization_failures == []

    def check(env):
        pool, rows = check_chain_and_integrity(env, pool_id)
        requests = env["points.pool.request"].search([("pool_id", "=", pool_id)])
        assert set(requests.mapped("state")) == {"applied"}, requests.filtered(
            lambda r: r.state != "applied").mapped("refusal_reason")
        assert len(requests) == CALLERS * rounds * (5 if wallet_services else 4)
        if wallet_services:
            assert env["points.withdrawal"].search_count([("pool_id", "=", pool_id)]) == CALLERS * rounds
        counts = {event: len(rows.filtered(lambda row, event=event: row.event == event))
                  for event in ("contribute", "sell", "redeem", "reverse")}
        assert counts == {event: CALLERS * rounds for event in counts}
        # Every payment with points paid exactly its amount, whatever the price at its turn.
        assert set(rows.filtered(lambda row: row.event == "redeem").mapped("amount")) == {2.5}
        assert not rows.filtered(lambda row: not row.move_id and row.amount), "real time: every row is posted"
    read(registry, check)


def test_a_caller_never_waits_for_a_busy_pool(registry):
    """While another transaction holds the pool, 16 callers record their requests at once and leave."""
    pool_id, member_ids = new_company(registry, CALLERS)
    calls = Calls(registry)
    with pool_held(registry, pool_id):
        run_together([lambda member_id=member_id: calls.call(lambda env: env["points.pool"].browse(
            pool_id).contribute(env["res.partner"].browse(member_id), 1000, 300).id)
            for member_id in member_ids])
        pending = read(registry, lambda env: env["points.pool.request"].search_count(
            [("pool_id", "=", pool_id), ("state", "=", "pending")]))
    assert calls.failures == [] and calls.serialization_failures == []
    assert max(calls.durations) < 5.0, "no caller waited for the pool lock"
    assert pending == CALLERS
    drain(registry, pool_id)

    def check(env):
        pool, rows = check_chain_and_integrity(env, pool_id)
        assert len(rows) == CALLERS
        assert pool.balance == 300.0 * CALLERS
        # The first applied contribution minted at the initial price (SPEC §3.4).
        assert rows[0].points_delta == 210.0
    read(registry, check)


def test_first_purchases_of_one_new_member_at_once_all_succeed_with_one_wallet(registry):
    """16 first orders of the same new member at once (POS and web shop): one wallet, every order applied."""
    pool_id, _members = new_company(registry, 0)

    def create_customer(env):
        return env["res.partner"].create({"name": "Brand-new customer"}).id
    customer_id = read(registry, lambda env: (create_customer(env), env.cr.commit())[0])
    calls = Calls(registry)
    run_together([lambda: calls.call(lambda env: env["points.pool"].browse(pool_id).contribute(
        env["res.partner"].browse(customer_id), 1000, 300).id) for _caller in range(CALLERS)])
    assert calls.failures == []
    drain(registry, pool_id)

    def check(env):
        wallets = env["points.wallet"].search([("partner_id", "=", customer_id), ("pool_id", "=", pool_id)])
        assert len(wallets) == 1
        pool, rows = check_chain_and_integrity(env, pool_id)
        assert len(rows.filtered(lambda row: row.event == "contribute")) == CALLERS
        assert wallets.lifetime_spend == 1000.0 * CALLERS
    read(registry, check)


def test_a_checkout_finding_requests_waiting_joins_them_after_its_commit(registry):
    """Under load a checkout does not take the pool for the rest of its transaction: its request waits with
    the others and the drain after its commit applies them all, in order, with one journal entry."""
    pool_id, member_ids = new_company(registry, 2)
    calls = Calls(registry)

    def contribute(member_id):
        return lambda env: env["points.pool"].browse(pool_id).contribute(
            env["res.partner"].browse(member_id), 1000, 300).id

    with pool_held(registry, pool_id):
        first_id = calls.call(contribute(member_ids[0]))
    seen = {}

    def second(env):
        request = env["points.pool"].browse(pool_id).contribute(env["res.partner"].browse(member_ids[1]), 1000, 300)
        seen["state"] = request.state
        # The pool stays free for everyone else while this transaction goes on.
        with pool_held(registry, pool_id, nowait=True):
            seen["pool_free"] = True
        return request.id

    second_id = calls.call(second)
    assert calls.failures == [] and calls.serialization_failures == []
    assert seen == {"state": "pending", "pool_free": True}

    def check(env):
        requests = env["points.pool.request"].browse([first_id, second_id])
        assert requests.mapped("state") == ["applied", "applied"]
        assert requests[0].ledger_id.id < requests[1].ledger_id.id, "applied in the order they were recorded"
        assert requests.ledger_id.move_id and len(requests.ledger_id.move_id) == 1, "one entry for the drain"
        check_chain_and_integrity(env, pool_id)
    read(registry, check)


def test_a_worker_killed_in_the_middle_of_a_drain_loses_nothing_and_applies_nothing_twice(registry):
    """SIGKILL of the process running a drain: its transaction is rolled back whole; the next drain applies all."""
    requests = 3000
    pool_id, member_ids = new_company(registry, 50)
    # Queue the requests while the pool is held, so that they wait for a drain.
    with pool_held(registry, pool_id):

        def queue(env):
            pool = env["points.pool"].browse(pool_id)
            partners = env["res.partner"].browse(member_ids)
            for n in range(requests):
                pool.contribute(partners[n % len(partners)], 100, 30)
        read(registry, lambda env: (queue(env), env.cr.commit()))
    assert read(registry, lambda env: env["points.pool.request"].search_count(
        [("pool_id", "=", pool_id), ("state", "=", "pending")])) == requests

    script = (
        "import sys, odoo\n"
        "from odoo.tools import config\n"
        "config.parse_config(sys.argv[1:])\n"
        "from odoo.modules.registry import Registry\n"
        "registry = Registry(config['db_name'])\n"
        "from odoo import api, SUPERUSER_ID\n"
        "with registry.cursor() as cr:\n"
        "    Pool = type(api.Environment(cr, SUPERUSER_ID, {})['points.pool'])\n"
        "print('draining', flush=True)\n"
        f"Pool._drain(config['db_name'], {pool_id}, passes=1)\n"
        "print('drained', flush=True)\n"
    )
    args = [f"--database={registry.db_name}", f"--addons-path={config['addons_path']}"]
    for option in ("db_host", "db_port", "db_user", "db_password"):
        if config[option]:
            args.append(f"--{option}={config[option]}")
    worker = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ))
    try:
        assert worker.stdout.readline().strip() == "draining"
        # Wait until the worker holds the pool in its drain transaction, then kill it in the middle.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            holding = read(registry, lambda env: (env.cr.execute(SQL(
                """SELECT count(*) FROM pg_locks lock JOIN pg_class class ON class.oid = lock.relation
                    WHERE class.relname = 'points_pool_state' AND lock.mode = 'RowShareLock'
                      AND lock.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND lock.pid != pg_backend_pid()""")), env.cr.fetchone()[0])[1])
            if holding:
                break
            time.sleep(0.01)
        time.sleep(0.3)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(30)
    assert worker.returncode == -signal.SIGKILL, "the worker ended before it could be killed"

    # PostgreSQL notices the dead connection and rolls its transaction back; then the next drain applies all.
    drain(registry, pool_id)

    def check(env):
        pool, rows = check_chain_and_integrity(env, pool_id)
        states = env["points.pool.request"]._read_group([("pool_id", "=", pool_id)], ["state"], ["__count"])
        assert dict(states) == {"applied": requests}
        env.cr.execute(SQL("SELECT request_id, count(*) FROM points_ledger WHERE pool_id = %s"
                           " GROUP BY request_id HAVING count(*) > 1", pool_id))
        assert env.cr.fetchall() == [], "a request was applied twice"
        assert len(rows) == requests
        assert Decimal(str(pool.balance)) == Decimal(30 * requests)
    read(registry, check)


def test_the_safety_net_job_drains_what_no_caller_drained(registry):
    """Requests left pending (their callers found the pool taken by a transaction that drained nothing after)
    are applied by the queue job the scheduled action queues, one per pool."""
    pool_id, member_ids = new_company(registry, 4)
    calls = Calls(registry)
    with pool_held(registry, pool_id):
        for member_id in member_ids:
            calls.call(lambda env, member_id=member_id: env["points.pool"].browse(pool_id).contribute(
                env["res.partner"].browse(member_id), 1000, 300).id)
    assert calls.failures == []

    def pending(env):
        return env["points.pool.request"].search_count([("pool_id", "=", pool_id), ("state", "=", "pending")])

    assert read(registry, pending) == len(member_ids)

    def queue_twice(env):
        env["points.pool"]._cron_drain_pools()
        env["points.pool"]._cron_drain_pools()
        env.cr.commit()
        jobs = env["queue.job"].search([("identity_key", "=", f"points.pool.drain:{pool_id}"),
                                        ("state", "=", "pending")])
        return [(job.uuid, job.channel) for job in jobs]
    jobs = read(registry, queue_twice)
    assert len(jobs) == 1, "one drain job per pool, whatever the number of reminders"
    uuid_, channel = jobs[0]
    assert channel == "root.points_pool"

    from odoo.addons.queue_job.job import Job

    read(registry, lambda env: (Job.load(env, uuid_).perform(), env.cr.commit()))
    assert read(registry, pending) == 0

    def check(env):
        pool, rows = check_chain_and_integrity(env, pool_id)
        assert len(rows) == len(member_ids) and pool.balance == 300.0 * len(member_ids)
    read(registry, check)
