from decimal import Decimal

from odoo.tests import tagged

from .common import WalletServiceCase


@tagged("post_install", "-at_install")
class TestMemberChecks(WalletServiceCase):
    """The withdrawal preview and the transfer checks a member reads before confirming (portal, API): the code the
    API answers, the member's words, nothing changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wallet1 = cls.env["points.wallet"]._get_for_partner(cls.member1, cls.company)
        cls.no_wallet = cls.env["points.wallet"]
        cls.Withdrawal = cls.env["points.withdrawal"]
        cls.Transfer = cls.env["points.transfer"]

    def money(self, amount):
        return self.pool.currency_id.format(amount)

    def assertRefusal(self, code, message, func, *args, **kwargs):
        """Nothing reserved either."""
        reserved = self.reserved()
        error = super().assertRefusal(code, message, func, *args, **kwargs)
        self.assertEqual(self.reserved(), reserved)
        return error

    # -- withdrawal preview -----------------------------------------------------------
    def test_the_preview_is_the_fee_and_the_net_of_a_request(self):
        self.assertEqual(self.Withdrawal._preview(self.pool, self.wallet1, Decimal(100)),
                         (Decimal("2.00"), Decimal("98.00")))
        withdrawal = self.request(self.member1, 100)
        self.assertEqual((withdrawal.fee_amount, withdrawal.net_amount), (2.0, 98.0))

    def test_the_preview_refuses_a_blocked_wallet_and_more_than_the_available_cash(self):
        self.assertRefusal("insufficient_cash", f"You may withdraw at most {self.money(161.5)} now.",
                           self.Withdrawal._preview, self.pool, self.wallet1, Decimal("161.51"))
        self.assertRefusal("insufficient_cash", f"You may withdraw at most {self.money(0.0)} now.",
                           self.Withdrawal._preview, self.pool, self.no_wallet, Decimal(1))
        self.request(self.member1, 100)
        self.assertRefusal("insufficient_cash", f"You may withdraw at most {self.money(61.5)} now.",
                           self.Withdrawal._preview, self.pool, self.wallet1, Decimal(62))
        self.wallet1.action_block()
        self.assertRefusal(
            "wallet_blocked", "Your points wallet is blocked: you cannot sell, withdraw or transfer. Please contact us.",
            self.Withdrawal._preview, self.pool, self.wallet1, Decimal(10))

    def test_the_preview_refuses_what_the_pools_rules_and_the_fee_refuse(self):
        self.assertRefusal(None, "After the fee nothing would be paid: ask for more.",
                           self.Withdrawal._preview, self.pool, self.wallet1, Decimal("0.01"))
        self.assertRefusal(None, "After the fee nothing would be paid: ask for more.",
                           self.request, self.member1, 0.01)
        self.pool.withdrawal_min_amount = 50
        self.assertRefusal(None, f"The smallest withdrawal is {self.money(50.0)}.",
                           self.Withdrawal._preview, self.pool, self.wallet1, Decimal(20))

    # -- transfers ----------------------------------------------------------------------
    def test_transfers_need_the_pools_setting(self):
        self.assertRefusal("transfers_disabled", "Transfers between members are not enabled.",
                           self.Transfer._check_enabled, self.pool)
        self.pool.transfer_enabled = True
        self.Transfer._check_enabled(self.pool)

    def test_a_member_sends_no_more_than_they_may(self):
        held = self.wallet1._available_points()
        self.Transfer._check_member_holds(self.pool, self.wallet1, points=held)
        self.Transfer._check_member_holds(self.pool, self.wallet1, cash=Decimal("161.50"))
        self.assertRefusal("insufficient_points", f"You have {held} points available, fewer than the {held + 1} asked.",
                           self.Transfer._check_member_holds, self.pool, self.wallet1, points=held + 1)
        self.assertRefusal("insufficient_cash", f"You may send at most {self.money(161.5)} now.",
                           self.Transfer._check_member_holds, self.pool, self.wallet1, cash=Decimal("161.51"))
        self.assertRefusal("insufficient_cash", f"You may send at most {self.money(0.0)} now.",
                           self.Transfer._check_member_holds, self.pool, self.no_wallet, cash=Decimal(1))
