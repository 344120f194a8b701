from odoo.tests import tagged

from .common import CODE_B, PortalHttpCase


@tagged("post_install", "-at_install")
class TestUiTours(PortalHttpCase):
    """Member flows in Chromium on the portal."""

    def test_member_sells_points_on_the_portal(self):
        wallet = self.wallet_of(self.a)
        points, cash = wallet.points, wallet.cash_balance
        self.start_tour("/my/points", "points_portal_sell_tour", login="member_a")
        sale = self.env["points.ledger"].search([("partner_id", "=", self.a.id), ("event", "=", "sell")], limit=1)
        self.assertEqual(sale.points_delta, -10.0)
        self.assertEqual(wallet.points, points - 10)
        self.assertAlmostEqual(wallet.cash_balance, cash + sale.cash_delta, places=2)
        self.assertEqual(self.pool._integrity_breaches(), [])

    def test_member_requests_a_withdrawal_on_the_portal(self):
        self.start_tour("/my/points/withdrawals", "points_portal_withdrawal_tour", login="member_a")
        withdrawal = self.env["points.withdrawal"].search([("partner_id", "=", self.a.id)])
        self.assertEqual((withdrawal.amount, withdrawal.state), (5.0, "requested"))
        self.assertEqual(self.wallet_of(self.a).reserved_balance, 5.0)

    def test_member_binds_a_referral_code_on_the_portal(self):
        self.assertEqual(CODE_B, "TEAMB234", "the tour types this code")
        self.start_tour("/my/points/team", "points_portal_bind_tour", login="member_a")
        self.assertEqual(self.a.referrer_id, self.b)
        self.assertEqual(self.a.referral_bound_via, "code")


@tagged("post_install", "-at_install")
class TestUiToursMobile(PortalHttpCase):
    """The portal on a phone: Odoo's ChromeBrowser sizes its window from ``browser_size``."""

    browser_size = "390x844"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chain()  # member B is a boss: the Chain Reward tab shows a team

    def test_member_portal_at_phone_width(self):
        # Member B has a withdrawal waiting (a Cancel button) and an app key (a Revoke button).
        self.assertTrue(self.env["points.api.token"].search([("user_id", "=", self.user_b.id)]))
        self.start_tour("/my/points", "points_portal_mobile_tour", login="member_b")
