from odoo.tests import tagged

from .common import WalletServiceCase


@tagged("post_install", "-at_install")
class TestDashboardCards(WalletServiceCase):
    def test_the_dashboard_shows_the_withdrawals_waiting(self):
        cards = {card["key"]: card for card in self.pool._dashboard_cards()}
        self.assertEqual(cards["withdrawals_waiting"]["value"], 0.0)
        self.request(self.member1, 50)
        self.request(self.member1, 30)
        cards = {card["key"]: card for card in self.pool._dashboard_cards()}
        self.assertEqual(cards["withdrawals_waiting"]["value"], 80.0)
        self.assertIn("2", cards["withdrawals_waiting"]["detail"])
