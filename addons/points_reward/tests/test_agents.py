from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import RewardCase


@tagged("post_install", "-at_install")
class TestAgents(RewardCase):
    def test_the_most_precise_assignment_of_a_level_wins(self):
        cn, zhejiang = self.env.ref("base.cn"), self.env.ref("base.state_cn_ZJ")
        by_city, by_zip, by_long_zip, elsewhere = self.make_members(4, "Agent ")
        Agent = self.env["points.agent"]
        common = {"company_id": self.company.id, "level": "district"}
        Agent.create([
            dict(common, partner_id=by_city.id, city="hangzhou", country_id=cn.id),
            dict(common, partner_id=by_zip.id, zip_prefix="31"),
            dict(common, partner_id=by_long_zip.id, zip_prefix="3100 1"),
            dict(common, partner_id=elsewhere.id, zip_prefix="2000"),
        ])
        address = self.env["res.partner"].create({"name": "Address", "zip": "310012", "city": "Hangzhou ",
                                                  "country_id": cn.id, "state_id": zhejiang.id})
        self.assertEqual(Agent._agents_for(address, self.company), {"district": by_long_zip})
        address.zip = "319999"
        self.assertEqual(Agent._agents_for(address, self.company), {"district": by_zip})
        address.zip = False
        self.assertEqual(Agent._agents_for(address, self.company), {"district": by_city})
        other_company = self.env["res.company"].create({"name": "Agents elsewhere"})
        self.assertEqual(Agent._agents_for(address, other_company), {})

    def test_an_assignment_covers_an_area(self):
        agent = self.make_members(1, "Agent ")
        with self.assertRaisesRegex(ValidationError, "which area"):
            self.env["points.agent"].create({"partner_id": agent.id, "level": "city", "company_id": self.company.id})
