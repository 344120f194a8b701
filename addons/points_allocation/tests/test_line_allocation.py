from odoo.exceptions import UserError
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
        self.assertEqual(pool_row.contribution_id.amount, 300.0)
        self.assertEqual(pool_row.contribution_id.points_delta, 210.0)
        self.assertEqual(self.pool.balance, 300.0)

    def test_refunds_reverse_pro_rata_and_never_beyond_the_line(self):
        rows = self.allocate(self.order("Line"))
        rows._on_paid()
        self.pool.contribute(self.member2, 1000, 300, source=self.order("Other"))
        price = self.pool.price
        rows._on_reversed(0.5, refund_source=self.order("Credit 1"))
        self.assertEqual(self.wallet(self.member1).points, 105.0)
        self.assertTrue(all(row.reversed_ratio == 0.5 for row in rows))
        self.assertGreaterEqual(self.pool.price, price)
        with self.assertRaises(UserError):
            rows._on_reversed(0.6, refund_source=self.order("Credit 2"))
        rows._on_reversed(0.5, refund_source=self.order("Credit 3"))
        self.assertEqual(self.wallet(self.member1).points, 0.0)
        self.assertNoBreach()
