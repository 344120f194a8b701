from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.points_pos.tests.common import PointsPosCase

from .common import RoleMixin


@tagged("post_install", "-at_install")
class TestRolePos(RoleMixin, PointsPosCase):
    """Agencies and franchises sold at the counter, revoked by their POS refunds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_roles(*(cls.create_product(name, cls.categ_basic, price, 0.0) for name, price in (
            ("District agency", 50000.0), ("Xihu agency", 80000.0), ("Service point franchise", 9800.0))))

    def sell_role(self, product, customer=None, **line_values):
        data = self.order_data(customer=customer or self.member, lines=[(product, 1)])
        for command in data["lines"]:
            command[2].update(line_values)
        return self.sync(data)

    def test_a_pos_order_makes_the_customer_agent_of_its_territory(self):
        order = self.sell_role(self.xihu_agency)
        agency = self.agency_of(self.xihu)
        self.assertEqual((agency.partner_id, agency.active), (self.member, True))
        self.assertEqual(self.grants(self.member).order_ref, order)
        self.assertNoBreach()

    def test_the_territory_chosen_on_the_pos_line(self):
        self.sell_role(self.agency, points_territory_id=self.binjiang.id)
        self.assertEqual(self.agency_of(self.binjiang).partner_id, self.member)

    def test_a_pos_refund_revokes_the_agency(self):
        order = self.sell_role(self.xihu_agency)
        self.sync(self.refund_data(order))
        self.assertFalse(self.agency_of(self.xihu))
        self.assertEqual(self.grants(self.member).state, "revoked")

    def test_a_franchise_sold_at_the_counter_makes_a_service_point(self):
        self.sell_role(self.franchise)
        self.assertTrue(self.member.points_is_service_point)

    def test_a_taken_territory_is_refused_at_the_counter_and_nothing_changes(self):
        self.sell_role(self.xihu_agency)
        before, pos_before = self.role_state(), self.snapshot()
        with self.assertRaisesRegex(UserError, "already has its District agent"), self.env.cr.savepoint():
            self.sell_role(self.xihu_agency, customer=self.other)
        self.assertEqual((self.role_state(), self.snapshot()), (before, pos_before))
