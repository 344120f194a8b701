from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import RewardCase, street_level_and_agents, wensan_road


@tagged("post_install", "-at_install")
class TestAgents(RewardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls.make_members(1, "Buyer ")

    def test_the_most_precise_assignment_of_a_level_wins(self):
        cn, zhejiang = self.env.ref("base.cn"), self.env.ref("base.state_cn_ZJ")
        by_city, by_zip, by_long_zip, elsewhere = self.make_members(4, "Agent ")
        Agent = self.env["points.agent"]
        district = self.env.ref("points_reward.agent_level_district")
        common = {"company_id": self.company.id, "level_id": district.id}
        Agent.create([
            dict(common, partner_id=by_city.id, city="hangzhou", country_id=cn.id),
            dict(common, partner_id=by_zip.id, zip_prefix="31"),
            dict(common, partner_id=by_long_zip.id, zip_prefix="3100 1"),
            dict(common, partner_id=elsewhere.id, zip_prefix="2000"),
        ])
        address = self.env["res.partner"].create({"name": "Address", "zip": "310012", "city": "Hangzhou ",
                                                  "country_id": cn.id, "state_id": zhejiang.id})
        self.assertEqual(Agent._agents_for(address, self.company), {district: by_long_zip})
        address.zip = "319999"
        self.assertEqual(Agent._agents_for(address, self.company), {district: by_zip})
        address.zip = False
        self.assertEqual(Agent._agents_for(address, self.company), {district: by_city})
        other_company = self.env["res.company"].create({"name": "Agents elsewhere"})
        self.assertEqual(Agent._agents_for(address, other_company), {})

    def test_an_assignment_covers_an_area(self):
        agent = self.make_members(1, "Agent ")
        with self.assertRaisesRegex(ValidationError, "which area"):
            self.env["points.agent"].create({"partner_id": agent.id, "company_id": self.company.id,
                                            "level_id": self.env.ref("points_reward.agent_level_city").id})

    def test_a_street_level_matches_its_list_of_streets_or_towns(self):
        levels, agents, _assignments = street_level_and_agents(self.env, self.company)
        Address = self.env["res.partner"]
        on_wensan = Address.create(dict(wensan_road(self.env), name="On Wensan Road"))
        self.assertEqual(self.env["points.agent"]._agents_for(on_wensan, self.company),
                         dict(zip(levels, agents, strict=True)))
        in_xixi = Address.create(dict(wensan_road(self.env), name="Xixi", street="3 Tianmushan Rd",
                                      street2="xixi town"))
        elsewhere = Address.create(dict(wensan_road(self.env), name="Elsewhere", street="3 Tianmushan Rd"))
        self.assertIn(levels[0], self.env["points.agent"]._agents_for(in_xixi, self.company))
        self.assertNotIn(levels[0], self.env["points.agent"]._agents_for(elsewhere, self.company))

    def test_five_levels_pay_the_differential_from_the_street_up_and_a_missing_level_passes_its_share_up(self):
        _levels, agents, assignments = street_level_and_agents(self.env, self.company)
        address = self.env["res.partner"].create(dict(wensan_road(self.env), name="Delivery"))
        _line, rewards = self.reward_line(self.buyer, {"regional": 20.0}, delivery_partner=address, name="All")
        self.assertEqual(self.earned(rewards, agents), [1.0, 2.0, 2.0, 3.0, 2.0])
        self.assertEqual(rewards.sorted("level").mapped("level"), [1, 2, 3, 4, 5])
        assignments[1].active = False
        _line, rewards = self.reward_line(self.buyer, {"regional": 20.0}, delivery_partner=address, name="No district")
        self.assertEqual(self.earned(rewards, agents), [1.0, 0.0, 4.0, 3.0, 2.0])

    def test_levels_are_paid_in_their_sequence(self):
        levels, agents, _assignments = street_level_and_agents(self.env, self.company)
        levels[0].sequence = 50  # the street level now sits above the region: its rate 1 is already paid below
        address = self.env["res.partner"].create(dict(wensan_road(self.env), name="Delivery"))
        _line, rewards = self.reward_line(self.buyer, {"regional": 20.0}, delivery_partner=address)
        self.assertEqual(self.earned(rewards, agents), [0.0, 3.0, 2.0, 3.0, 2.0])

    def test_an_agent_says_what_its_level_matches_by(self):
        street = self.env["points.agent.level"].create({"name": "Town agent", "match_by": "streets", "sequence": 5})
        agent = self.make_members(1, "Agent ")
        with self.assertRaisesRegex(ValidationError, "Streets or Towns"):
            self.env["points.agent"].create({"partner_id": agent.id, "company_id": self.company.id,
                                             "level_id": street.id, "city": "Hangzhou"})
        self.env["points.agent"].create({"partner_id": agent.id, "company_id": self.company.id,
                                         "level_id": street.id, "street_list": "Xixi Town"})
        with self.assertRaisesRegex(ValidationError, "ZIP Prefix"):
            street.match_by = "zip"  # its agent has no ZIP prefix

    def test_a_level_of_another_company_is_refused(self):
        other_company = self.env["res.company"].create({"name": "Levels elsewhere"})
        level = self.env["points.agent.level"].create({"name": "Their town", "company_id": other_company.id})
        agent = self.make_members(1, "Agent ")
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            self.env["points.agent"].create({"partner_id": agent.id, "company_id": self.company.id,
                                             "level_id": level.id, "city": "Hangzhou"})
        self.assertNotIn(level, self.env["points.agent.level"]._for_company(self.company))
