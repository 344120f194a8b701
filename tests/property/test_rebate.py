"""Hypothesis: the queued rebate of SPEC §7 (engine only, no Odoo)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.points_engine.rebate import QueueEntry, acceleration, queue_order, refund_entry, static_release

START = datetime(2025, 8, 1, 8)
money = st.integers(min_value=1, max_value=50_000).map(lambda cents: Decimal(cents) / 100)
entries = st.lists(
    st.tuples(money, st.integers(min_value=0, max_value=20), st.sampled_from([1, 15, 30, 45]),
              st.integers(min_value=0, max_value=2)),
    max_size=40,
).map(lambda rows: [
    # Several entries share a payment time (ties), some are partly released already.
    QueueEntry(n + 1, member=f"m{n % 5}", paid_at=START + timedelta(hours=hours), amount=amount, lock_days=lock)
    .release((amount * part / 4).quantize(Decimal("0.01"), rounding="ROUND_DOWN"))
    for n, (amount, hours, lock, part) in enumerate(rows)
])
pools = st.integers(min_value=0, max_value=2_000_000).map(lambda cents: Decimal(cents) / 100)
days = st.integers(min_value=0, max_value=60).map(lambda d: date(2025, 8, 1) + timedelta(days=d))


@given(entries, pools, days)
@settings(max_examples=300, deadline=None)
def test_static_release_pays_a_strict_prefix_of_the_due_queue_without_overdrawing(queue, pool, today):
    run = static_release(queue, pool, today)
    due = [entry for entry in queue_order(queue) if entry.due_date <= today]
    by_id = {entry.id: entry for entry in queue}
    released_ids = [entry_id for entry_id, _amount in run.released]
    # Queue order respected: what is released is the head of the due queue, nothing skipped.
    assert released_ids == [entry.id for entry in due[:len(released_ids)]]
    # Nothing partial, never more than the entry holds.
    assert all(amount == by_id[entry_id].remaining for entry_id, amount in run.released)
    # The pool never goes negative and pays exactly what it released.
    assert run.pool_after >= 0
    assert run.pool_after == pool - run.total
    # It stops only at an entry the pool could not pay in full.
    if len(released_ids) < len(due):
        assert run.waiting == due[len(released_ids)].id
        assert due[len(released_ids)].remaining > run.pool_after
    else:
        assert run.waiting is None


@given(money, st.integers(min_value=0, max_value=100).map(lambda p: Decimal(p) / 100), money, pools)
def test_acceleration_never_exceeds_the_entry_nor_the_pool(order_amount, rate, remaining, pool):
    amount = acceleration(order_amount, rate, remaining, pool)
    assert Decimal(0) <= amount <= min(remaining, pool)
    assert amount <= order_amount * rate


@given(money, st.integers(min_value=0, max_value=4), st.lists(
    st.integers(min_value=1, max_value=100).map(lambda p: Decimal(p) / 100), min_size=1, max_size=6))
def test_refunds_never_take_back_more_than_the_entry_and_add_up_to_the_whole(amount, quarters, ratios):
    released = amount * quarters / 4 if quarters < 4 else amount
    released = released.quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    cancelled = clawed = Decimal(0)
    refunded = Decimal(0)
    for ratio in ratios:
        refunded = min(refunded + ratio, Decimal(1))
        effect = refund_entry(amount, released, cancelled, clawed, refunded)
        cancelled += effect.cancelled
        clawed += effect.clawback
        assert effect.cancelled >= 0 and effect.clawback >= 0
        assert cancelled <= amount - released
        assert clawed <= released
    final = refund_entry(amount, released, cancelled, clawed, Decimal(1))
    assert cancelled + final.cancelled + clawed + final.clawback == amount
