from datetime import date

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import RebateCase


@tagged("post_install", "-at_install")
class TestRebateQueue(RebateCase):
    def test_entries_paid_at_the_same_moment_keep_their_creation_order(self):
        first, second, third = self.make_members(3, prefix="Tie ")
        rows = [self.pay(member, 100.0, "2025-08-01 10:00:00") for member in (first, second, third)]
        entries = [self.entry_of(row) for row in rows]
        self.assertEqual([entry.position for entry in entries], [1, 2, 3])
        self.fund(200.0 - 30.0)  # with the three orders' feeding: exactly two entries
        self.assertEqual(self.release("2025-08-15"), 2)
        self.assertEqual([entry.state for entry in entries], ["released", "released", "queued"])
        self.assertEqual([self.cash(member) for member in (first, second, third)], [100.0, 100.0, 0.0])
        self.assertEqual(entries[2].position, 1)
        self.assertNoBreach()

    def test_the_dashboard_shows_the_rebates_due(self):
        member, = self.make_members(1, prefix="Dashboard ")
        entry = self.entry_of(self.pay(member, 100.0, "2025-08-01 10:00:00"))
        with freeze_time("2025-08-20"):
            self.env.invalidate_all()
            cards = {card["key"]: card for card in self.pool._dashboard_cards()}
            self.assertEqual(cards["rebate_due"]["value"], self.pool.rebate_due_amount)
        self.assertEqual(cards["rebate_due"]["value"], entry.remaining)
        self.assertEqual(cards["rebate_due"]["action"], "points_rebate.points_rebate_entry_action")

    def test_a_pool_too_small_for_the_next_entry_pays_nothing_partial_and_later_entries_wait(self):
        big, bigger, small = self.make_members(3, prefix="Small pool ")
        first = self.entry_of(self.pay(big, 600.0, "2025-08-01 08:00:00"))
        second = self.entry_of(self.pay(bigger, 500.0, "2025-08-01 09:00:00"))
        third = self.entry_of(self.pay(small, 100.0, "2025-08-01 10:00:00"))
        self.fund(1000.0 - 120.0)  # 1,000.00 in the rebate pool with the feeding
        self.assertEqual(self.rebate_balance(), 1000.0)
        self.assertEqual(self.release("2025-08-15"), 1)
        self.assertEqual((first.state, second.state, third.state), ("released", "queued", "queued"))
        self.assertEqual((second.remaining, third.remaining), (500.0, 100.0), "nothing partial")
        self.assertEqual(self.cash(small), 0.0, "the smaller entry behind does not overtake the queue")
        self.assertEqual(self.rebate_balance(), 400.0)
        self.assertFalse(third.expected_release, "the pool cannot cover the queue up to it yet")

        self.fund(200.0)
        self.assertEqual(self.release("2025-08-16"), 2)
        self.assertEqual((second.state, third.state), ("released", "released"))
        self.assertEqual(self.rebate_balance(), 0.0)
        self.assertNoBreach()

    def test_entries_not_yet_due_do_not_block_due_entries_behind_them(self):
        early, late = self.make_members(2, prefix="Due ")
        self.rebate_product.product_tmpl_id.with_company(self.company).points_rebate_lock_days = 45
        long_entry = self.entry_of(self.pay(early, 100.0, "2025-08-01 08:00:00"))
        other = self.env["product.product"].create({"name": "Short lock"})
        other.product_tmpl_id.with_company(self.company).points_plan_id = self.rebate_plan
        short_entry = self.entry_of(self.pay(late, 100.0, "2025-08-02 08:00:00", product=other))
        self.fund(1000.0)
        self.assertEqual(self.release("2025-08-16"), 1)
        self.assertEqual((long_entry.state, short_entry.state), ("queued", "released"))
        self.assertEqual(long_entry.due_date, date(2025, 9, 14))

    def test_the_same_day_twice_releases_nothing_new_and_one_entry_per_member_is_posted(self):
        members = self.make_members(3, prefix="Run ")
        for member in members:
            self.pay(member, 100.0, "2025-08-01 08:00:00")
        self.pay(members[0], 200.0, "2025-08-01 09:00:00")
        self.fund(10000.0)
        self.assertEqual(self.release("2025-08-20"), 4)
        snapshot = self.snapshot()
        self.assertEqual(self.release("2025-08-20"), 0)
        self.assertEqual(self.snapshot(), snapshot)
        rows = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "rebate_release")])
        self.assertEqual(len(rows), 3, "one ledger row per member and run")
        entries = self.env["points.rebate.entry"].search([("partner_id", "in", members.ids)])
        self.assertEqual(entries.release_ledger_id, rows)
        self.assertEqual(sorted(rows.mapped("cash_delta")), [100.0, 100.0, 300.0])
        move = rows.move_id
        self.assertEqual(len(move), 1, "one journal entry for the run")
        wallet_lines = move.line_ids.filtered(lambda line: line.account_id == self.pool.wallet_account_id)
        self.assertEqual(sorted(wallet_lines.mapped("credit")), [100.0, 100.0, 300.0])
        self.assertEqual(set(wallet_lines.partner_id.ids), set(members.ids))
        self.assertEqual(self.cash(members[0]), 300.0)
        self.assertNoBreach()

    def test_the_same_paid_line_queues_and_feeds_once(self):
        rows = self.pay(self.member1, 100.0)
        rows._on_paid()
        self.env["points.rebate.entry"]._queue_line(rows)
        self.assertEqual(len(self.entry_of(rows)), 1)
        feeds = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "rebate_feed")])
        self.assertEqual((len(feeds), self.rebate_balance()), (1, 10.0))
        self.assertNoBreach()

    def test_lines_below_the_minimum_feed_the_pool_but_queue_nothing(self):
        self.assertEqual(self.pool.rebate_min_amount, 100.0)
        small = self.pay(self.member1, 99.99)
        self.assertFalse(self.entry_of(small))
        self.assertEqual(self.rebate_balance(), 10.0)
        self.pool.rebate_min_amount = 50.0
        self.assertTrue(self.entry_of(self.pay(self.member2, 50.0)))

    def test_lines_of_plans_without_a_rebate_bucket_take_no_part(self):
        rows = self.pay_line(self.member1, 1000.0)  # the package plan: no rebate bucket
        self.assertFalse(self.entry_of(rows))
        self.assertEqual(self.rebate_balance(), 0.0)

    def test_the_rebate_share_and_the_lock_period_come_from_settings_plan_and_product(self):
        settings = Form(self.env["res.config.settings"].with_company(self.company))
        settings.points_rebate_rate = 0.5
        settings.points_rebate_lock_days = 10
        settings.points_rebate_acceleration_rate = 0.1
        settings.points_rebate_min_amount = 20.0
        settings.save().execute()
        self.assertEqual((self.pool.rebate_rate, self.pool.rebate_lock_days), (0.5, 10))
        entry = self.entry_of(self.pay(self.member1, 40.0, "2025-08-01 10:00:00", name="default lock"))
        self.assertEqual((entry.amount, entry.lock_days, entry.due_date), (20.0, 10, date(2025, 8, 10)))
        self.rebate_plan.rebate_lock_days = 30
        entry = self.entry_of(self.pay(self.member1, 40.0, "2025-08-01 10:00:00", name="plan lock"))
        self.assertEqual(entry.lock_days, 30)
        self.rebate_product.product_tmpl_id.with_company(self.company).write(
            {"points_rebate_lock_days": 15, "points_rebate_extra_days": 5})
        entry = self.entry_of(self.pay(self.member1, 40.0, "2025-08-01 10:00:00", name="15+N"))
        self.assertEqual((entry.lock_days, entry.due_date), (20, date(2025, 8, 20)))

    def test_a_referee_order_accelerates_the_oldest_entry_once_within_what_it_holds(self):
        referrer, referee = self.make_chain(2, prefix="Acc ")
        self.fund(1000.0)
        oldest = self.entry_of(self.pay(referrer, 100.0, "2025-08-01 08:00:00"))
        newer = self.entry_of(self.pay(referrer, 100.0, "2025-08-02 08:00:00"))
        big_order = self.pay(referee, 600.0, "2025-08-03 08:00:00")
        self.assertEqual((oldest.released_amount, oldest.state), (100.0, "released"), "capped at the entry")
        self.assertEqual(newer.released_amount, 0.0, "only the oldest entry is accelerated")
        self.assertEqual(self.cash(referrer), 100.0)
        self.env["points.rebate.entry"]._accelerate_line(big_order)
        big_order._on_paid()
        self.assertEqual((newer.released_amount, self.cash(referrer)), (0.0, 100.0), "once per referee line")
        self.pay(referee, 100.0, "2025-08-04 08:00:00")
        self.assertEqual((newer.released_amount, newer.remaining), (20.0, 80.0))
        self.assertNoBreach()

    def test_acceleration_never_overdraws_the_rebate_pool(self):
        referrer, referee = self.make_chain(2, prefix="Dry ")
        entry = self.entry_of(self.pay(referrer, 100.0, "2025-08-01 08:00:00"))
        self.pay(referee, 1000.0, "2025-08-02 08:00:00", product=self.env["product.product"].create(
            {"name": "No feeding", "list_price": 1000.0}))
        self.assertEqual(self.rebate_balance(), 0.0)
        self.assertEqual(entry.released_amount, 10.0, "only the 10.00 the referrer's own order fed")
        self.assertNoBreach()

    def test_the_run_now_button_releases_due_entries_for_a_manager(self):
        self.pay(self.member1, 100.0, "2025-08-01 08:00:00")
        self.fund(500.0)
        with freeze_time("2025-08-10 12:00:00"):
            self.assertEqual(self.pool.action_rebate_release_now()["params"]["type"], "info")
            self.assertEqual(self.cash(self.member1), 0.0)
        with freeze_time("2025-08-15 12:00:00"):
            self.pool.invalidate_recordset()
            self.assertEqual(self.pool.rebate_due_amount, 100.0)
            self.assertEqual(self.pool.action_rebate_release_now()["params"]["type"], "success")
        self.assertEqual(self.cash(self.member1), 100.0)
        self.assertEqual(self.pool.rebate_queued_count, 0)
        self.assertNoBreach()
