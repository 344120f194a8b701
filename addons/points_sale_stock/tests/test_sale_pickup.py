from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.points_sale.tests.common import PointsSaleCase


@tagged("post_install", "-at_install")
class TestSalePickup(PointsSaleCase):
    """A sales order collected at a service point: validating its delivery verifies the pickup (SPEC §6)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.is_storable = False  # consumable: delivered without stock
        cls.service_point = cls.env["res.partner"].create({"name": "East Gate", "points_is_service_point": True})
        plan = cls.env["points.allocation.plan"].create({
            "name": "With pickup", "company_id": cls.company.id,
            "line_ids": [Command.create({"bucket": "pool", "basis": "price", "value": 30}),
                         Command.create({"bucket": "service_point", "basis": "fixed", "value": 20})],
        })
        cls.product.product_tmpl_id.with_company(cls.company).points_plan_id = plan
        cls.env["points.reward.rule"].create({"name": "Service point fee", "rule_type": "service_point",
                                              "company_id": cls.company.id, "basis": "fixed", "value": 20})
        stock_groups = "base.group_user,stock.group_stock_user,sales_team.group_sale_salesman"
        cls.east_clerk = new_test_user(cls.env, "east_clerk", groups=stock_groups, company_id=cls.company.id)
        cls.west_clerk = new_test_user(cls.env, "west_clerk", groups=stock_groups, company_id=cls.company.id)
        cls.service_point.points_service_user_ids = cls.east_clerk

    def pickup_order(self):
        form = Form(self.env["sale.order"])
        form.partner_id = self.buyer
        form.points_pickup_point_id = self.service_point
        with form.order_line.new() as line:
            line.product_id = self.product
        order = form.save()
        order.action_confirm()
        self.pay(self.invoice(order))
        return order

    def deliver(self, order, user):
        picking = order.picking_ids.with_user(user)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        return picking

    def fees(self):
        return self.env["points.reward"].search([("partner_id", "=", self.service_point.id)])

    def test_validating_the_delivery_verifies_the_pickup_and_pays_the_service_point(self):
        order = self.pickup_order()
        self.assertFalse(self.fees())
        self.deliver(order, self.east_clerk)
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(order.points_pickup_verified_by_id, self.east_clerk)
        self.assertTrue(order.points_pickup_verified_at)
        self.assertEqual((self.fees().amount, self.fees().order_model), (20.0, "sale.order"))
        self.assertEqual(self.pool._integrity_breaches(), [])

    def test_a_clerk_of_another_service_point_cannot_validate_the_delivery(self):
        order = self.pickup_order()
        with self.assertRaisesRegex(AccessError, "west_clerk.* cannot verify pickups at East Gate"):
            self.deliver(order, self.west_clerk)
        self.assertFalse(order.points_pickup_verified_at)
        self.assertFalse(self.fees())

    def test_an_order_without_pickup_point_is_delivered_as_usual(self):
        order = self.sell()
        Allocation = type(self.env["points.allocation"])
        with patch.object(Allocation, "_on_pickup_verified", autospec=True) as hook:
            self.deliver(order, self.west_clerk)
        hook.assert_not_called()
        self.assertFalse(order.points_pickup_verified_at)
