from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.points_pool.keys import idempotency_key

from .common import RebateCase


@tagged("post_install", "-at_install")
class TestRebateRefunds(RebateCase):
    def test_a_partial_refund_before_release_reduces_the_entry_and_the_feeding(self):
        rows = self.pay(self.member1, 100.0)
        entry = self.entry_of(rows)
        rows._reverse(0.25, self.order("Credit 1"))
        self.assertEqual((entry.cancelled_amount, entry.remaining, entry.state), (25.0, 75.0, "queued"))
        self.assertEqual((entry.reversed_ratio, entry.reversed_amount), (0.25, 25.0),
                         "the entry says what refunds took back, like a reward")
        self.assertEqual(self.rebate_balance(), 7.5, "the pool gives back a quarter of the 10.00 fed")
        self.fund(100.0)
        self.release("2025-08-15")
        self.assertEqual((self.cash(self.member1), entry.released_amount, entry.state), (75.0, 75.0, "released"))
        self.assertNoBreach()

    def test_a_full_refund_before_release_cancels_the_entry(self):
        rows = self.pay(self.member1, 100.0)
        entry = self.entry_of(rows)
        for n, ratio in enumerate((0.25, 0.25, 0.5)):
            rows._reverse(ratio, self.order(f"Credit {n}"))
        self.assertEqual((entry.cancelled_amount, entry.remaining, entry.state), (100.0, 0.0, "cancelled"))
        self.assertEqual(self.rebate_balance(), 0.0)
        self.fund(500.0)
        self.assertEqual(self.release("2025-08-15"), 0)
        self.assertEqual(self.cash(self.member1), 0.0)
        self.assertNoBreach()

    def test_a_refund_after_an_accelerated_release_cancels_the_rest_and_takes_back_the_release(self):
        referrer, referee = self.make_chain(2, prefix="Refund acc ")
        self.fund(1000.0)
        rows = self.pay(referrer, 100.0, "2025-08-01 08:00:00")
        entry = self.entry_of(rows)
        self.pay(referee, 100.0, "2025-08-02 08:00:00")
        self.assertEqual(self.cash(referrer), 20.0)
        balance = self.rebate_balance()
        rows._reverse(1.0, self.order("Full credit"))
        self.assertEqual((entry.cancelled_amount, entry.clawed_back_amount, entry.remaining, entry.state),
                         (80.0, 20.0, 0.0, "cancelled"))
        self.assertEqual((entry.reversed_ratio, entry.reversed_amount), (1.0, 100.0))
        self.assertEqual(self.cash(referrer), 0.0)
        self.assertEqual(self.rebate_balance(), balance + 20.0 - 10.0, "the release comes back, the feeding goes")
        clawback = entry.ledger_ids.filtered(lambda row: row.event == "rebate_clawback")
        self.assertEqual((clawback.cash_delta, clawback.debt), (-20.0, 0.0))
        self.assertNoBreach()

    def test_a_refund_after_release_becomes_a_debt_when_the_cash_is_gone(self):
        # A plan with only the rebate bucket: the refund of the line moves nothing but the rebate.
        rebate_only = self.env["product.product"].create({"name": "Rebate only"})
        rebate_only.product_tmpl_id.with_company(self.company).points_plan_id = self.env[
            "points.allocation.plan"].create({"name": "Rebate only", "company_id": self.company.id, "line_ids": [
                Command.create({"bucket": "rebate", "basis": "price", "value": 10})]})
        rows = self.pay(self.member1, 100.0, product=rebate_only)
        self.fund(500.0)
        self.release("2025-08-15")
        # The member's own profit-pool order: points sold, then refunded, which leaves a refund debt.
        own_order = self.order("Own order")
        minted = self.pool.contribute(self.member1, 1000, 300, source=own_order)
        self.pool.sell(self.member1, minted.ledger_id.points_delta)
        self.pool.reverse(own_order, 1.0, refund_source=self.order("Own refund"))
        cash_before = self.cash(self.member1)
        self.assertLess(cash_before, 100.0)
        rows._reverse(1.0, self.order("Rebate credit"))
        entry = self.entry_of(rows)
        self.assertEqual((entry.clawed_back_amount, entry.state), (100.0, "cancelled"))
        self.assertAlmostEqual(self.cash(self.member1), cash_before - 100.0, places=2)
        self.assertGreater(self.wallet(self.member1).debt, 0.0)
        clawback = entry.ledger_ids.filtered(lambda row: row.event == "rebate_clawback")
        self.assertAlmostEqual(clawback.debt, 100.0 - max(cash_before, 0.0), places=2)
        self.assertNoBreach()

    def test_a_partial_refund_after_release_keeps_the_entry_released(self):
        rows = self.pay(self.member1, 100.0)
        self.fund(500.0)
        self.release("2025-08-15")
        rows._reverse(0.4, self.order("Credit"))
        entry = self.entry_of(rows)
        self.assertEqual((entry.clawed_back_amount, entry.state, self.cash(self.member1)), (40.0, "released", 60.0))
        self.assertNoBreach()

    def test_the_same_refund_twice_changes_nothing(self):
        rows = self.pay(self.member1, 100.0)
        credit = self.order("Credit")
        rows._reverse(0.5, credit)
        snapshot, balance = self.snapshot(), self.rebate_balance()
        rows._reverse(0.5, credit)
        self.env["points.rebate.entry"]._refund_line(rows, credit, refunded=0.5)
        self.assertEqual((self.snapshot(), self.rebate_balance()), (snapshot, balance))
        self.assertEqual(self.entry_of(rows).remaining, 50.0)
        self.assertNoBreach()

    def test_a_referee_refund_gives_the_acceleration_back_to_the_queue_while_the_entry_waits(self):
        referrer, referee = self.make_chain(2, prefix="Undo ")
        self.fund(1000.0)
        entry = self.entry_of(self.pay(referrer, 100.0, "2025-08-01 08:00:00"))
        referee_rows = self.pay(referee, 100.0, "2025-08-02 08:00:00")
        self.assertEqual((self.cash(referrer), entry.remaining), (20.0, 80.0))
        balance = self.rebate_balance()
        referee_rows._reverse(0.5, self.order("Referee credit 1"))
        self.assertEqual((self.cash(referrer), entry.released_amount, entry.remaining, entry.state),
                         (10.0, 10.0, 90.0, "queued"))
        referee_rows._reverse(0.5, self.order("Referee credit 2"))
        self.assertEqual((self.cash(referrer), entry.remaining), (0.0, 100.0))
        self.assertEqual(self.rebate_balance(), balance + 20.0 - 10.0,
                         "the acceleration back, the referee's feeding out")
        self.release("2025-08-15")
        self.assertEqual((self.cash(referrer), entry.state), (100.0, "released"))
        self.assertNoBreach()

    def reversals(self, event, line):
        return self.env["points.ledger"].search([("event", "=", event), ("source_model", "=", line._name),
                                                 ("source_id", "=", line.id)], order="id")

    def test_two_partial_refunds_give_back_the_line_share_while_the_first_waits_for_the_pool(self):
        referrer, entry, rows, rebate_row, accelerated = self.accelerating_referee("Pending refund ")
        balance = self.rebate_balance()
        with self.pool_busy():
            first = self.order("Pending credit 1")
            rows._reverse(0.5, first)
            first_key = idempotency_key("rebate_feed_reverse", rebate_row, first)
            self.assertEqual(self.pool._rebate_request(first_key).state, "pending")
            rows._reverse(0.5, self.order("Pending credit 2"))
        self.pool._apply_pending()
        line = rows[:1]._source_line()
        feed_reversals = self.reversals("rebate_feed_reverse", line)
        self.assertEqual(feed_reversals.mapped("amount"), [5.0, 5.0],
                         "the second refund counts the half the first one asked, still waiting for the pool")
        self.assertEqual(feed_reversals.reversal_of_allocation_id, rebate_row)
        undone = accelerated.search([("reversal_of_id", "=", accelerated.id)], order="id")
        self.assertEqual((undone.mapped("event"), undone.mapped("amount")), (["rebate_clawback"] * 2, [10.0, 10.0]))
        self.assertEqual((self.cash(referrer), entry.remaining), (0.0, 100.0))
        self.assertEqual(self.rebate_balance(), balance + 20.0 - 10.0)
        self.assertNoBreach()

    def test_rows_of_another_line_whose_key_shares_the_line_prefix_are_not_counted(self):
        rows = self.pay(self.member1, 100.0)
        other_rows = self.pay(self.member2, 100.0)
        rebate_row, other_rebate_row = (found.filtered(lambda row: row.bucket == "rebate")
                                        for found in (rows, other_rows))
        # A feeding given back for the other line, under a key that begins like those of the first line's refunds.
        key = idempotency_key("rebate_feed_reverse", rebate_row, "imported")
        self.pool._record_rebate_rows([{
            "event": "rebate_feed_reverse", "amount": 4.0, "rebate": -4.0, "partner": self.member2,
            "source": other_rows[:1]._source_line(), "key": key, "reversal_of": other_rebate_row,
        }], key=key)
        rows._reverse(0.5, self.order("Credit"))
        other_rows._reverse(0.5, self.order("Other credit"))
        self.assertEqual(self.reversals("rebate_feed_reverse", rows[:1]._source_line()).mapped("amount"), [5.0],
                         "the first line gives back half of its 10.00, whatever the keys of other rows")
        self.assertEqual(self.reversals("rebate_feed_reverse", other_rows[:1]._source_line()).mapped("amount"),
                         [4.0, 1.0], "the other line's 4.00 counts for the other line")
        self.assertEqual(self.rebate_balance(), 10.0)
        self.assertNoBreach()
