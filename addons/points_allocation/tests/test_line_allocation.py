from odoo.tests import tagged

from .common import AllocationCase


@tagged("post_install", "-at_install")
class TestLineAllocation(AllocationCase):
    def allocate(self, line, partner=None, amount=1000.0):
        return self.env["points.allocation"]._allocate(
            line, order=None, partner=partner or self.member1, product=self.product, quantity=1, amount=amount,
            company=self.company)

    def test_paid_line_is_split_and_contributes_once(self):
        line = self.order("Line 1")
        rows = self.allocate(line)
        self.assertEqual(len(rows), 8)
        self.assertEqual(self.allocate(line), rows)
        rows._on_paid()
        rows._on_paid()
        pool_row = rows.filtered(lambda r: r.bucket == "pool")
        self.assertEqual(pool_row.contribution_request_id.state, "applied")
        self.assertEqual(pool_row.contribution_id, pool_row.contribution_request_id.ledger_id)
        self.assertEqual(pool_row.contribution_id.amount, 300.0)
        self.assertEqual(pool_row.contribution_id.points_delta, 210.0)
        self.assertEqual(self.pool.balance, 300.0)

    def test_a_contribution_still_pending_is_reversed_after_it(self):
        rows = self.allocate(self.order("Line"))
        with self.pool_busy():
            rows._on_paid()
            pool_row = rows.filtered(lambda r: r.bucket == "pool")
            self.assertEqual(pool_row.contribution_request_id.state, "pending")
            self.assertFalse(pool_row.contribution_id, "no ledger row before the pool applies the request")
            rows._reverse(0.5, self.order("Credit"))
        self.assertEqual((self.pool.balance, self.wallet(self.member1).points), (0.0, 0.0))
        self.pool._apply_pending()
        self.assertEqual(pool_row.contribution_id.points_delta, 210.0)
        self.assertEqual(pool_row.contribution_id.reversed_ratio, 0.5)
        self.assertEqual(self.wallet(self.member1).points, 105.0)
        self.assertNoBreach()

    def test_a_refused_contribution_has_nothing_to_reverse(self):
        rows = self.allocate(self.order("Line"))
        with self.pool_busy():
            rows._on_paid()
        # Blocked before the pool's turn: the contribution is refused and moves nothing.
        self.wallet(self.member1).action_block()
        self.pool._apply_pending()
        pool_row = rows.filtered(lambda r: r.bucket == "pool")
        self.assertEqual(pool_row.contribution_request_id.state, "refused")
        self.assertFalse(pool_row.contribution_id)
        before = self.snapshot()
        rows._reverse(1.0, self.order("Credit"))
        self.assertEqual(self.snapshot(), before)
        self.assertNoBreach()

    def test_refunds_reverse_pro_rata_and_never_beyond_the_line(self):
        rows = self.allocate(self.order("Line"))
        rows._on_paid()
        self.pool.contribute(self.member2, 1000, 300, source=self.order("Other"))
        price = self.pool.price
        credit = self.order("Credit 1")
        rows._reverse(0.5, credit)
        self.assertEqual(self.wallet(self.member1).points, 105.0)
        self.assertTrue(all(row.reversed_ratio == 0.5 for row in rows))
        self.assertGreaterEqual(self.pool.price, price)
        # The same credit note again changes nothing.
        self.assertFalse(rows._reverse(0.5, credit))
        self.assertEqual(self.wallet(self.member1).points, 105.0)
        # A larger refund only takes what is left of the line.
        rows._reverse(0.8, self.order("Credit 2"))
        self.assertTrue(all(row.reversed_ratio == 1.0 for row in rows))
        self.assertEqual(self.wallet(self.member1).points, 0.0)
        self.assertFalse(rows._reverse(0.1, self.order("Credit 3")))
        self.assertNoBreach()
