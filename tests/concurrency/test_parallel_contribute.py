"""Real parallel transactions on one pool: no contribution is lost, each mints at the price left by the other.

Runs under pytest-odoo against the test database. The transactions commit (in
their own cursors, as concurrent HTTP requests would), so every test works in
a company of its own.
"""

import random
import threading
import time
import uuid

import psycopg2.errorcodes
import pytest
from psycopg2 import OperationalError

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config

RETRYABLE = {psycopg2.errorcodes.SERIALIZATION_FAILURE, psycopg2.errorcodes.LOCK_NOT_AVAILABLE,
             psycopg2.errorcodes.DEADLOCK_DETECTED}


@pytest.fixture(scope="module")
def registry():
    return odoo.modules.registry.Registry(config["db_name"])


def in_transaction(registry, func, tries=50):
    """Runs ``func(env)`` in its own committed transaction, retried on serialization failures like an RPC call."""
    for attempt in range(tries):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            try:
                result = func(env)
                env.flush_all()
                return result
            except OperationalError as error:
                if error.pgcode not in RETRYABLE or attempt == tries - 1:
                    raise
                cr.rollback()
                env.reset()
        time.sleep(random.uniform(0, 0.05 * (attempt + 1)))
    raise AssertionError("unreachable")


def run_together(targets, timeout):
    """Runs each target in its own thread, all at once, and waits for them."""
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)


def new_pool(registry, members):
    def create(env):
        company = env["res.company"].create({"name": f"Concurrency {uuid.uuid4().hex[:8]}"})
        pool = env["points.pool"]._get_for_company(company)
        partners = env["res.partner"].create([{"name": f"Parallel member {n}"} for n in range(members)])
        return pool.id, partners.ids
    return in_transaction(registry, create)


def test_two_overlapping_transactions_both_mint_in_order(registry):
    pool_id, (first_member, second_member) = new_pool(registry, 2)
    first_holds_lock = threading.Event()
    results, errors = {}, []

    def first():
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                row = env["points.pool"].browse(pool_id).contribute(env["res.partner"].browse(first_member), 1000, 300)
                env.flush_all()
                first_holds_lock.set()
                # Keep the pool row locked while the second transaction tries to contribute.
                time.sleep(1.0)
                results["first"] = row.id
        except Exception as error:  # noqa: BLE001 (reported by the main thread)
            errors.append(error)
            first_holds_lock.set()

    def second():
        try:
            first_holds_lock.wait(10)
            started = time.monotonic()
            results["second"] = in_transaction(registry, lambda env: env["points.pool"].browse(pool_id).contribute(
                env["res.partner"].browse(second_member), 1000, 300).id)
            results["waited"] = time.monotonic() - started
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    run_together([first, second], timeout=60)
    assert not errors, errors

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        pool = env["points.pool"].browse(pool_id)
        first_row, second_row = env["points.ledger"].browse([results["first"], results["second"]])
        # The second waited for the first's lock, then minted at the price the first left (SPEC §3.4).
        assert results["waited"] >= 0.5
        assert (first_row.points_delta, second_row.points_delta) == (210.0, 147.0)
        assert second_row.price_before == first_row.price_after
        assert (pool.balance, pool.circulating_points) == (600.0, 357.0)
        assert pool._integrity_breaches() == []


def test_many_parallel_contributions_lose_no_update(registry):
    workers, per_worker = 4, 5
    pool_id, member_ids = new_pool(registry, workers)
    errors = []

    def contribute(member_id):
        try:
            for _ in range(per_worker):
                in_transaction(registry, lambda env: env["points.pool"].browse(pool_id).contribute(
                    env["res.partner"].browse(member_id), 1000, 300))
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    run_together([lambda member_id=member_id: contribute(member_id) for member_id in member_ids], timeout=120)
    assert not errors, errors

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        pool = env["points.pool"].browse(pool_id)
        rows = env["points.ledger"].search([("pool_id", "=", pool_id)], order="id")
        assert len(rows) == workers * per_worker
        assert pool.balance == 300.0 * workers * per_worker
        assert round(sum(rows.mapped("points_delta")), 4) == pool.circulating_points
        # Events chain: each one starts from the price the previous one left.
        for previous, row in zip(rows, rows[1:]):
            assert row.price_before == previous.price_after
        assert pool._integrity_breaches() == []
