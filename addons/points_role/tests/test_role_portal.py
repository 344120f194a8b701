from odoo.tests import tagged

from odoo.addons.points_portal.tests.common import PortalHttpCase
from odoo.addons.points_reward.tests.common import agent_level


@tagged("post_install", "-at_install")
class TestRolePortal(PortalHttpCase):
    """/my/points/territory over HTTP: member A holds the Xihu agency, member B holds nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        district = agent_level(cls.env, "district")
        cls.xihu = cls.env["points.territory"].create({"name": "Xihu District", "company_id": cls.company.id,
                                                       "level_id": district.id, "zip_prefix": "3100"})
        cls.env["points.agent"].create(dict(cls.xihu._agent_values(), partner_id=cls.a.id))
        cls.rule("regional", basis="fixed", lines=[(district, 3)])
        customer = cls.env["res.partner"].create({"name": "Customer Zhang", "zip": "310012",
                                                  "email": "zhang@example.com", "phone": "+86 138 0000 0000"})
        cls.env["points.reward"]._reward_source(
            cls.env["res.partner.category"].create({"name": "Order of Zhang"}), customer, {"regional": 10.0},
            cls.company, base_amount=1000.0, delivery_partner=customer)

    def test_the_agent_sees_its_territory_and_earnings_without_the_buyers_contact(self):
        self.authenticate("member_a", "member_a")
        response = self.url_open("/my/points/territory")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Xihu District", response.text)
        self.assertEqual(response.text.count("o_points_territory_order"), 1)
        self.assertIn("3.00", response.text)
        for contact in ("Customer Zhang", "zhang@example.com", "138 0000"):
            self.assertNotIn(contact, response.text)
        self.assertIn('href="/my/points/territory"', self.url_open("/my/points").text, "the tab")

    def test_another_member_gets_a_404_and_no_tab(self):
        self.authenticate("member_b", "member_b")
        self.assertEqual(self.url_open("/my/points/territory").status_code, 404)
        self.assertNotIn('href="/my/points/territory"', self.url_open("/my/points").text)

    def test_a_bad_page_number_shows_the_first_page(self):
        self.authenticate("member_a", "member_a")
        for url in ("/my/points/territory/page/0", "/my/points/territory?page=abc&service=1",
                    "/my/points/territory/page/99999999999999999999"):
            response = self.url_open(url)
            self.assertIn(response.status_code, (200, 404), url)
            if response.status_code == 200:
                self.assertIn("Xihu District", response.text, url)
