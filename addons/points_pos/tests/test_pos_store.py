from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import PointsPosCase


@tagged("post_install", "-at_install")
class TestPosStore(PointsPosCase):
    """A POS of a store (O2O merchant): its take rate is the basis of commission buckets (SPEC §4)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store = cls.env["res.partner"].create({"name": "Corner Store", "points_is_merchant": True,
                                                   "points_take_rate": 0.2})
        cls.env["points.allocation.plan"].create({
            "name": "Store", "company_id": cls.company.id,
            "line_ids": [Command.create({"bucket": "pool", "basis": "commission", "value": 80}),
                         Command.create({"bucket": "platform", "basis": "commission", "value": 20})],
        })
        cls.product.product_tmpl_id.with_company(cls.company).points_plan_id = cls.env[
            "points.allocation.plan"].search([("name", "=", "Store")])

    def test_the_store_of_the_pos_gives_its_take_rate_to_the_orders(self):
        self.config.points_merchant_id = self.store
        self.assertEqual(self.config.points_take_rate, 0.2)
        order = self.sell()
        self.assertEqual(order._points_store(), self.store)
        rows = self.env["points.allocation"]._for_lines(order.lines)
        self.assertEqual(sorted(rows.mapped("amount")), [40.0, 160.0], "80% and 20% of a 200.00 commission")
        contribution = self.ledger(event="contribute")
        self.assertEqual((contribution.amount, contribution.mint_value), (160.0, 112.0))
        self.assertNoBreach()

    def test_a_new_take_rate_of_the_store_applies_to_its_points_of_sale(self):
        self.config.points_merchant_id = self.store
        self.store.points_take_rate = 0.1
        self.assertEqual(self.config.points_take_rate, 0.1)
        self.sell()
        self.assertEqual(self.ledger(event="contribute").amount, 80.0)
        with self.assertRaisesRegex(ValidationError, "take rate of .* is the one of its store"):
            self.config.points_take_rate = 0.3

    def test_a_pos_of_the_platform_names_no_store(self):
        order = self.sell()
        self.assertFalse(order._points_store())
        self.assertFalse(self.env["points.allocation"]._for_lines(order.lines).filtered("amount"),
                         "no take rate: a commission basis splits nothing")


@tagged("post_install", "-at_install")
class TestPosServicePointAccess(PointsPosCase):
    """Only the users of a service point (its POS cashiers, its listed users) and Points Managers verify its
    pickups."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.east = cls.env["res.partner"].create({"name": "East Gate", "points_is_service_point": True})
        cls.west = cls.env["res.partner"].create({"name": "West Gate", "points_is_service_point": True})
        cashiers = "base.group_user,point_of_sale.group_pos_user"
        cls.cashier = new_test_user(cls.env, "east_cashier", groups=cashiers, company_id=cls.company.id)
        cls.other_cashier = new_test_user(cls.env, "west_cashier", groups=cashiers, company_id=cls.company.id)
        cls.west.points_service_user_ids = cls.other_cashier

    def pickup_order(self):
        return self.sell(points_pickup_point_id=self.east.id)

    def verify_as(self, user, order):
        return self.env["pos.order"].with_user(user).points_verify_pickup_from_ui(order.pos_reference)

    def test_a_cashier_of_another_store_is_refused(self):
        order = self.pickup_order()
        with self.assertRaisesRegex(AccessError, "west_cashier.* cannot verify pickups at East Gate"):
            self.verify_as(self.other_cashier, order)
        self.assertFalse(order.points_pickup_verified_at)
        with self.assertRaises(AccessError):
            order.with_user(self.other_cashier).action_points_verify_pickup()

    def test_a_user_of_the_service_point_verifies_its_pickups(self):
        self.east.points_service_user_ids = self.cashier
        order = self.pickup_order()
        self.verify_as(self.cashier, order)
        self.assertEqual(order.points_pickup_verified_by_id, self.cashier)

    def test_the_cashier_of_an_open_session_of_the_service_points_pos_verifies_its_pickups(self):
        order = self.pickup_order()
        self.config.points_service_point_id = self.east
        self.pos_session.user_id = self.cashier
        self.verify_as(self.cashier, order)
        self.assertEqual(order.points_pickup_verified_by_id, self.cashier)

    def test_a_points_manager_verifies_any_pickup(self):
        order = self.pickup_order()
        manager = new_test_user(self.env, "points_manager_pickup", company_id=self.company.id,
                                groups="base.group_user,point_of_sale.group_pos_user,points_pool.group_points_manager")
        self.verify_as(manager, order)
        self.assertTrue(order.points_pickup_verified_at)
