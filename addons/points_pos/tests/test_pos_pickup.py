from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import PointsPosCase


@tagged("post_install", "-at_install")
class TestPosPickup(PointsPosCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service_point = cls.env["res.partner"].create({"name": "East Gate", "points_is_service_point": True})

    def pickup_order(self, **kwargs):
        return self.sell(points_pickup_point_id=self.service_point.id, **kwargs)

    def test_pickup_is_verified_once_and_calls_the_allocation_hook(self):
        order = self.pickup_order()
        self.assertEqual(order.points_pickup_point_id, self.service_point)
        Allocation = type(self.env["points.allocation"])
        with patch.object(Allocation, "_on_pickup_verified", autospec=True) as hook:
            result = self.env["pos.order"].points_verify_pickup_from_ui(order.pos_reference)
        self.assertEqual(result["pickup_point"], "East Gate")
        self.assertTrue(order.points_pickup_verified_at)
        self.assertEqual(order.points_pickup_verified_by_id, self.env.user)
        hook.assert_called_once()
        self.assertEqual(hook.call_args.args[1:], (order, self.service_point))

        verified_at = order.points_pickup_verified_at
        with patch.object(Allocation, "_on_pickup_verified", autospec=True) as hook, \
                self.assertRaisesRegex(UserError, "already verified"):
            self.env["pos.order"].points_verify_pickup_from_ui(order.pos_reference)
        hook.assert_not_called()
        self.assertEqual(order.points_pickup_verified_at, verified_at)

    def test_back_office_finds_the_order_by_its_scanned_barcode(self):
        order = self.pickup_order()
        barcode = order.pos_reference.split(" ")[-1]
        form = Form(self.env["points.pickup.wizard"])
        form.reference = barcode
        self.assertEqual(form.order_id, order)
        self.assertEqual(form.pickup_point_id, self.service_point)
        form.save().action_verify()
        self.assertTrue(order.points_pickup_verified_at)
        form = Form(self.env["points.pickup.wizard"])
        form.reference = barcode
        with self.assertRaisesRegex(UserError, "already verified"):
            form.save().action_verify()

    def test_orders_without_pickup_point_or_unknown_references_are_refused(self):
        order = self.sell()
        with self.assertRaisesRegex(UserError, "has no pickup point"):
            self.env["pos.order"].points_verify_pickup_from_ui(order.pos_reference)
        with self.assertRaisesRegex(UserError, "No order matches"):
            self.env["pos.order"].points_verify_pickup_from_ui("no-such-order")
        form = Form(self.env["points.pickup.wizard"])
        form.reference = "no-such-order"
        self.assertIn("No order matches", form.message)

    def test_unpaid_orders_cannot_be_picked_up(self):
        order = self.sync(self.order_data(customer=self.member, points_pickup_point_id=self.service_point.id,
                                          state="draft"))
        self.assertEqual(order.state, "draft")
        with self.assertRaisesRegex(UserError, "not paid"):
            order.action_points_verify_pickup()
        self.assertFalse(order.points_pickup_verified_at)

    def test_the_pos_cannot_overwrite_what_the_server_records(self):
        order = self.sell(points_earned=9999.0, points_pickup_verified_at="2020-01-01 00:00:00")
        self.assertEqual(order.points_earned, 210.0)
        self.assertFalse(order.points_pickup_verified_at)

    def test_the_order_hooks_say_where_and_when_the_goods_reached_the_buyer(self):
        at_counter = self.sell()
        self.assertIs(self.env["points.allocation"]._order_hooks(at_counter), at_counter)
        self.assertFalse(at_counter._points_pickup_point())
        self.assertEqual(at_counter._points_delivery_date(), at_counter.date_order, "handed over at the counter")
        order = self.pickup_order()
        self.assertEqual(order._points_pickup_point(), self.service_point)
        self.assertFalse(order._points_delivery_date(), "not collected yet")
        self.env["pos.order"].points_verify_pickup_from_ui(order.pos_reference)
        self.assertEqual(order._points_delivery_date(), order.points_pickup_verified_at)
        self.assertIsNone(self.env["points.allocation"]._order_hooks(self.service_point))
