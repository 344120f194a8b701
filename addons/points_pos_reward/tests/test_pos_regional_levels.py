from odoo.tests import tagged

from odoo.addons.points_pos.tests.common import PointsPosCase
from odoo.addons.points_reward.tests.common import StreetLevelMixin, wensan_road


@tagged("post_install", "-at_install")
class TestPosRegionalLevels(StreetLevelMixin, PointsPosCase):
    """POS orders of a customer living on Wensan Road pay the street agent and the four levels above it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_street_level()
        cls.member.write(wensan_road(cls.env))

    def test_a_pos_order_pays_the_street_agent_and_the_differential_up_to_the_region(self):
        order = self.sell()
        self.assertEqual(self.agents_earned(self.order_rewards(order)), [1.0, 2.0, 2.0, 3.0, 2.0])
        self.assertNoBreach()

    def test_without_a_district_agent_the_city_earns_its_share(self):
        self.assignments[1].active = False
        order = self.sell()
        self.assertEqual(self.agents_earned(self.order_rewards(order)), [1.0, 0.0, 4.0, 3.0, 2.0])

    def test_a_refund_reverses_every_level(self):
        order = self.sell()
        self.sync(self.refund_data(order))
        rewards = self.order_rewards(order)
        self.assertEqual(set(rewards.mapped("state")), {"reversed"})
        self.assertEqual(self.agents_earned(rewards), [0.0] * 5)
        self.assertNoBreach()
