from odoo.tests import tagged

from odoo.addons.points_legacy.tests.common import LegacyImportMixin
from odoo.addons.points_legacy_portal.controllers.serializers import legacy
from odoo.addons.points_portal.tests.common import PortalHttpCase


@tagged("post_install", "-at_install")
class TestLegacyPortal(LegacyImportMixin, PortalHttpCase):
    """Member A was owed 800.00 by the former platform; member B was not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a.email = "member.a@example.com"
        cls.legacy = cls.legacy_import([("Member A", "", "member.a@example.com", "OLD-A", "800")])

    def test_member_sees_their_legacy_balance_and_what_remains_owed(self):
        self.authenticate("member_a", "member_a")
        html = self.url_open("/my/points").text
        self.assertIn("o_points_legacy_balance", html)
        self.assertIn("Consumption balance from the former platform", html)
        self.assertIn("800.00", html)
        data = legacy(self.member_env(self.user_a)["points.member.service"]._legacy_line())
        self.assertEqual((data["payable"], data["balance"], data["remaining"]), (800.0, 800.0, 800.0))

    def test_other_members_see_no_legacy_card_nor_others_figures(self):
        self.authenticate("member_b", "member_b")
        self.assertNotIn("o_points_legacy", self.url_open("/my/points").text)
        service = self.member_env(self.user_b)["points.member.service"]
        self.assertIsNone(legacy(service._legacy_line()))
        self.assertFalse(self.member_env(self.user_b)["points.legacy.member"].search([]))
