from odoo.tests import tagged

from odoo.addons.points_reward.tests.common import StreetLevelMixin, wensan_road
from odoo.addons.points_sale.tests.common import PointsSaleCase


@tagged("post_install", "-at_install")
class TestRegionalLevelsSale(StreetLevelMixin, PointsSaleCase):
    """Paid sales orders delivered to Wensan Road pay the street agent and the four levels above it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_street_level()
        cls.delivery = cls.env["res.partner"].create(dict(wensan_road(cls.env), name="Buyer's office",
                                                          parent_id=cls.buyer.id, type="delivery"))

    def paid_order(self):
        order = self.sell()
        order.partner_shipping_id = self.delivery
        invoice = self.invoice(order)
        self.pay(invoice)
        return order, invoice

    def test_a_paid_order_pays_the_street_agent_and_the_differential_up_to_the_region(self):
        order, _invoice = self.paid_order()
        rewards = self.order_rewards(order)
        self.assertEqual(self.agents_earned(rewards), [1.0, 2.0, 2.0, 3.0, 2.0])
        self.assertEqual(rewards.sorted("level").mapped("level"), [1, 2, 3, 4, 5])
        self.assertNoBreach()

    def test_without_a_district_agent_the_city_earns_its_share(self):
        self.assignments[1].active = False
        order, _invoice = self.paid_order()
        self.assertEqual(self.agents_earned(self.order_rewards(order)), [1.0, 0.0, 4.0, 3.0, 2.0])

    def test_the_credit_note_reverses_every_level(self):
        order, invoice = self.paid_order()
        self.credit_note(invoice)
        rewards = self.order_rewards(order)
        self.assertEqual(set(rewards.mapped("state")), {"reversed"})
        self.assertEqual(self.agents_earned(rewards), [0.0] * 5)
        self.assertEqual([self.wallet(agent).frozen_balance for agent in self.agents], [0.0] * 5)
        self.assertNoBreach()
