from decimal import Decimal

from odoo.tests import tagged

from .common import PointsCase

BLOCKED = "Your points wallet is blocked: you cannot sell, withdraw or transfer. Please contact us."


@tagged("post_install", "-at_install")
class TestMemberChecks(PointsCase):
    """The checks a member reads before confirming a sale or a transfer (portal, API) refuse with the code the API
    answers, in the reader's words, and change nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for member in cls.members:
            cls.pool.contribute(member, 1000, 300)

    def test_a_blocked_wallet_may_not_send(self):
        wallet = self.wallet(self.member1)
        wallet._check_can_send()
        self.env["points.wallet"]._check_can_send()  # no wallet yet: what the member asks for is refused later
        wallet.action_block()
        self.assertRefusal("wallet_blocked", BLOCKED, wallet._check_can_send)

    def test_more_points_than_available_are_refused_in_the_readers_words(self):
        wallet = self.wallet(self.member1)
        held = wallet._available_points()
        wallet._check_available_points(held, to_member=True)
        self.assertRefusal("insufficient_points", f"You have {held} points available, fewer than the {held + 1} asked.",
                           wallet._check_available_points, held + 1, to_member=True)
        self.assertRefusal("insufficient_points",
                           f"Member 1 has {held} points available, fewer than the {held + 1} asked.",
                           wallet._check_available_points, held + 1)
        self.assertRefusal("insufficient_points", "You have 0 points available, fewer than the 1 asked.",
                           self.env["points.wallet"]._check_available_points, Decimal(1), to_member=True)

    def test_a_sale_paying_nothing_or_more_than_circulates_is_refused_by_its_quote(self):
        quote = self.pool._sell_quote(Decimal(10))
        self.assertEqual(quote, self.pool._engine().sell_quote(Decimal(10)))
        self.assertEqual(self.pool._engine().sell(Decimal("0.0001")).money, 0, "the price makes 0.0001 worth 0.00")
        self.assertRefusal(
            "sale_too_small",
            f"Selling 0.0001 points would pay {self.pool.currency_id.format(0.0)} after rounding: sell more points.",
            self.pool._sell_quote, Decimal("0.0001"))
        beyond = self.pool._engine().points + 1
        self.assertRefusal(None, "cannot take out more points than circulate",
                           self.pool._sell_quote, beyond)

    def test_the_pool_refuses_a_sale_paying_nothing_with_the_same_words(self):
        wallet = self.wallet(self.member1)
        self.assertRefusal(
            "sale_too_small",
            f"Selling 0.0001 points would pay {self.pool.currency_id.format(0.0)} after rounding: sell more points.",
            self.pool.sell, self.member1, Decimal("0.0001"))
        self.assertEqual(wallet.reserved_points, 0.0)
