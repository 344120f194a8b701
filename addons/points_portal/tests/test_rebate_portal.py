from odoo.tests import HttpCase, tagged

from odoo.addons.points_rebate.tests.common import RebateCase


@tagged("post_install", "-at_install")
class TestRebatePortal(RebateCase, HttpCase):
    def test_my_rebates_lists_the_members_own_entries_only(self):
        user, direct, _indirect = self.portal_team("rebate_page")
        user.password = "rebate_page_pw"
        self.pay(user.partner_id, 100.0, name="Own rebate order")
        self.pay(direct, 100.0, name="Referee rebate order")
        self.authenticate(user.login, "rebate_page_pw")
        page = self.url_open("/my/rebates")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Own rebate order", page.text)
        self.assertNotIn("Referee rebate order", page.text)
        home = self.url_open("/my/home")
        self.assertIn("/my/rebates", home.text)
