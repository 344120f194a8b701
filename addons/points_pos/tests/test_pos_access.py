from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import PointsPosCase


@tagged("post_install", "-at_install")
class TestPosAccess(PointsPosCase):
    """The POS calls of the suite act for a cashier: without the Point of Sale user group they refuse."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service_point = cls.env["res.partner"].create({"name": "North Gate", "points_is_service_point": True})
        cls.outsiders = [
            new_test_user(cls.env, "pos_walk_portal", groups="base.group_portal", company_id=cls.company.id,
                          company_ids=[cls.company.id]),
            new_test_user(cls.env, "pos_walk_clerk", groups="base.group_user,points_pool.group_points_user",
                          company_id=cls.company.id, company_ids=[cls.company.id]),
        ]

    def test_from_ui_calls_need_a_pos_user(self):
        order = self.sell(points_pickup_point_id=self.service_point.id)
        lines = [{"product_id": self.product.id, "qty": 1, "price_subtotal": 1000.0}]
        before = self.snapshot()
        for user in self.outsiders:
            Order = self.env["pos.order"].with_user(user).with_company(self.company)
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, "Point of Sale users"):
                    Order.points_preview_from_ui(self.config.id, self.member.id, lines, 0.0)
                with self.assertRaisesRegex(AccessError, "Point of Sale users"):
                    Order.points_verify_pickup_from_ui(order.pos_reference)
                with self.assertRaises(AccessError):
                    order.with_user(user).action_points_verify_pickup()
        self.assertFalse(order.points_pickup_verified_at)
        self.assertEqual(self.snapshot(), before)
        # A cashier still verifies it.
        self.env["pos.order"].points_verify_pickup_from_ui(order.pos_reference)
        self.assertTrue(order.points_pickup_verified_at)
