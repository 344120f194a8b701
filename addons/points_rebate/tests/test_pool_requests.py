from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import RebateCase


@tagged("post_install", "-at_install")
class TestRebatePoolRequests(RebateCase):
    """The rebate hands its movements to the pool's sequencer; what it does when the pool applies them later."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.no_feeding = cls.env["product.product"].create({"name": "No feeding", "list_price": 100.0})

    def figures(self, entry):
        self.env.invalidate_all()
        return (entry.state, entry.released_amount, entry.remaining, entry.pending_release, entry.released_at)

    def request_of(self, key):
        return self.env["points.pool.request"].search([("pool_id", "=", self.pool.id), ("key", "=", key)])

    def test_an_acceleration_the_rebate_pool_cannot_pay_at_its_turn_is_refused_and_leaves_the_entry_unchanged(self):
        referrer, referee = self.make_chain(2, prefix="Refused ")
        (early,) = self.make_members(1, prefix="Early ")
        self.fund(80.0)
        first = self.entry_of(self.pay(early, 100.0, "2025-08-01 08:00:00"))
        entry = self.entry_of(self.pay(referrer, 100.0, "2025-08-02 08:00:00"))
        self.assertEqual(self.rebate_balance(), 100.0)
        before = self.figures(entry)
        with self.pool_busy():
            # Another transaction's static release waits for the pool; it will pay the early entry in full.
            with freeze_time("2025-08-15 12:00:00"):
                release = self.pool._rebate_release_due(today=date(2025, 8, 15))
            referee_rows = self.pay(referee, 100.0, "2025-08-15 13:00:00", product=self.no_feeding)
            line = referee_rows[:1]._source_line()
            acceleration = self.request_of(f"rebate_accelerate:{line._name},{line.id}")
            self.assertEqual(acceleration.state, "pending")
            self.assertEqual(self.figures(entry)[3], 20.0, "the 20.00 asked are held on the entry")
        self.pool._apply_pending()  # the drain after the callers' commit
        self.assertEqual((release.state, release.rebate_release_count, first.state), ("applied", 1, "released"))
        self.assertEqual(acceleration.state, "refused")
        self.assertIn("rebate pool", acceleration.refusal_reason.lower())
        self.assertFalse(acceleration.ledger_ids)
        self.assertEqual(self.figures(entry), before, "the entry is as before the acceleration")
        self.assertEqual((self.cash(referrer), self.rebate_balance()), (0.0, 0.0))
        self.assertNoBreach()
        # The refused amount never left the queue: the static release pays the entry in full once it is funded.
        self.fund(100.0)
        self.assertEqual(self.release("2025-08-16"), 1)
        self.assertEqual((entry.state, entry.released_amount, self.cash(referrer)), ("released", 100.0, 100.0))
        self.assertNoBreach()

    def test_an_acceleration_waiting_for_the_pool_keeps_its_entry_out_of_the_static_release_run(self):
        referrer, referee = self.make_chain(2, prefix="Held ")
        self.fund(1000.0)
        entry = self.entry_of(self.pay(referrer, 100.0, "2025-08-01 08:00:00"))
        with self.pool_busy():
            with freeze_time("2025-08-15 12:00:00"):
                release = self.pool._rebate_release_due(today=date(2025, 8, 15))
            self.pay(referee, 100.0, "2025-08-15 13:00:00", product=self.no_feeding)
        self.pool._apply_pending()  # the drain after the callers' commit
        # The run came first but left the entry alone: the acceleration was computed on its whole remaining amount.
        self.assertEqual(release.rebate_release_count, 0)
        self.assertEqual(self.figures(entry)[:4], ("queued", 20.0, 80.0, 0.0))
        self.assertEqual(self.cash(referrer), 20.0)
        self.assertEqual(self.release("2025-08-16"), 1)
        self.assertEqual((entry.state, entry.released_amount, self.cash(referrer)), ("released", 100.0, 100.0))
        self.assertNoBreach()

    def test_two_accelerations_waiting_for_the_pool_never_hold_more_than_the_entry_has(self):
        referrer = self.make_members(1, prefix="Busy referrer ")
        referees = self.make_chain(1, top=referrer, prefix="Busy referee A ") + self.make_chain(
            1, top=referrer, prefix="Busy referee B ")
        self.fund(1000.0)
        entry = self.entry_of(self.pay(referrer, 100.0, "2025-08-01 08:00:00"))
        with self.pool_busy():
            for referee in referees:
                self.pay(referee, 400.0, "2025-08-02 08:00:00", product=self.no_feeding)
            self.assertEqual(self.figures(entry)[3], 100.0, "80.00 asked by each order, 100.00 held in all")
            self.assertEqual(self.cash(referrer), 0.0)
        self.pool._apply_pending()  # the drain after the callers' commit
        self.assertEqual(self.figures(entry)[:4], ("released", 100.0, 0.0, 0.0))
        self.assertEqual(self.cash(referrer), 100.0)
        self.assertNoBreach()

    def test_the_static_release_is_an_exclusive_request_of_the_pool_whose_rows_it_wrote(self):
        members = self.make_members(2, prefix="Exclusive ")
        for member in members:
            self.pay(member, 100.0, "2025-08-01 08:00:00")
        self.fund(500.0)
        with freeze_time("2025-08-15 12:00:00"):
            request = self.pool._rebate_release_due(today=date(2025, 8, 15))
        self.assertEqual((request.kind, request.state, request.rebate_release_count),
                         ("rebate_release", "applied", 2), "applied at once: the pool was free")
        rows = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "rebate_release")])
        self.assertEqual(request.ledger_ids, rows)
        self.assertIn(request.ledger_id, rows)
        self.assertEqual(self.rebate_balance(), 500.0 + 20.0 - 200.0)
        self.assertNoBreach()

    def test_a_feeding_asked_twice_while_the_pool_is_busy_feeds_the_rebate_pool_once(self):
        with self.pool_busy():
            rows = self.pay(self.member1, 100.0)
            self.env["points.rebate.entry"]._queue_line(rows)
            self.assertEqual(self.rebate_balance(), 0.0, "nothing applied yet")
        self.pool._apply_pending()  # the drain after the callers' commit
        feeds = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "rebate_feed")])
        self.assertEqual((len(feeds), self.rebate_balance()), (1, 10.0))
        self.assertEqual(feeds.request_id.key, feeds.key)
        self.assertNoBreach()

    def test_refunds_waiting_for_the_pool_count_what_they_already_returned(self):
        rows = self.pay(self.member1, 100.0)
        with self.pool_busy():
            rows._reverse(0.5, self.order("Credit 1"))
            rows._reverse(0.5, self.order("Credit 2"))
        self.pool._apply_pending()  # the drain after the callers' commit
        entry = self.entry_of(rows)
        self.assertEqual((entry.cancelled_amount, entry.state), (100.0, "cancelled"))
        self.assertEqual(self.rebate_balance(), 0.0, "the 10.00 fed went back once, in two halves")
        self.assertNoBreach()
