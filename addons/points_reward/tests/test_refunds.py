from odoo.tests import tagged

from .common import RewardCase


@tagged("post_install", "-at_install")
class TestRewardRefunds(RewardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.referrer, cls.buyer = cls.make_chain(2, prefix="Refund ")
        cls.direct = cls.rule("level", level=1, basis="fixed", value=100)

    def paid_reward(self, amount=1000.0, name="Line"):
        rows = self.pay_line(self.buyer, amount, name=name)
        return rows, self.rewards_of(rows[:1]._source_line())

    def test_a_partial_refund_before_release_takes_its_share_from_the_frozen_balance(self):
        rows, reward = self.paid_reward()
        rows._reverse(0.25, self.order("Credit 1"))
        wallet = self.wallet(self.referrer)
        self.assertEqual((reward.amount, reward.reversed_amount, reward.net_amount, reward.state),
                         (100.0, 25.0, 75.0, "frozen"))
        self.assertEqual(wallet.frozen_balance, 75.0)
        reward.action_release_now()
        self.assertEqual((wallet.frozen_balance, wallet.cash_balance), (0.0, 75.0))
        self.assertNoBreach()

    def test_refunds_adding_up_to_the_whole_reverse_exactly_the_reward(self):
        self.direct.value = 10
        rows, reward = self.paid_reward()
        for n in range(3):
            rows._reverse(1 / 3, self.order(f"Credit {n}"))
        self.assertEqual((reward.reversed_amount, reward.state), (10.0, "reversed"))
        self.assertEqual(self.wallet(self.referrer).frozen_balance, 0.0)
        self.assertNoBreach()

    def test_a_refund_after_release_takes_its_share_from_the_cash_balance(self):
        rows, reward = self.paid_reward()
        reward.action_release_now()
        wallet = self.wallet(self.referrer)
        rows._reverse(0.4, self.order("Credit 1"))
        self.assertEqual((wallet.cash_balance, reward.state), (60.0, "available"))
        rows._reverse(0.6, self.order("Credit 2"))
        self.assertEqual((wallet.cash_balance, reward.state, reward.net_amount), (0.0, "reversed", 0.0))
        self.assertNoBreach()

    def test_a_refund_after_release_becomes_a_debt_when_the_cash_is_gone(self):
        rows, reward = self.paid_reward()
        reward.action_release_now()
        wallet = self.wallet(self.referrer)
        # The referrer's own order: points sold, then the order refunded, which leaves a refund debt.
        own_order = self.order("Referrer's own order")
        minted = self.pool.contribute(self.referrer, 1000, 300, source=own_order)
        self.pool.sell(self.referrer, minted.ledger_id.points_delta)
        self.pool.reverse(own_order, 1.0, refund_source=self.order("Own refund"))
        cash_before = wallet.cash_balance
        self.assertLess(cash_before, 100.0)
        rows._reverse(1.0, self.order("Reward credit"))
        self.assertAlmostEqual(wallet.cash_balance, cash_before - 100.0, places=2)
        self.assertGreater(wallet.debt, 0.0)
        last = reward.ledger_ids.filtered(lambda row: row.event == "reward_reverse")
        self.assertEqual(last.cash_delta, -100.0)
        self.assertAlmostEqual(last.debt, 100.0 - max(cash_before, 0.0), places=2)
        self.assertNoBreach()

    def test_the_same_refund_twice_changes_nothing(self):
        rows, reward = self.paid_reward()
        credit = self.order("Credit")
        rows._reverse(0.5, credit)
        self.env["points.reward"]._reverse_source(rows[:1]._source_line(), 0.5, credit)
        self.assertEqual(reward.reversed_amount, 50.0)

    def test_dividend_accruals_are_reversed_pro_rata_also_after_the_close(self):
        rule = self.rule("dividend", basis="bucket", value=100, lines=[(self.director, 100)])
        self.referrer._set_rank(self.director, self.company)
        rows = self.pay_line(self.buyer, 1000.0, name="Dividend line")
        rows._reverse(0.5, self.order("Credit before close"))
        self.assertEqual(rule.dividend_balance, 20.0)
        self.env["points.dividend.period"]._close(rule)
        self.assertEqual(rule.dividend_balance, 0.0)
        rows._reverse(0.5, self.order("Credit after close"))
        self.assertEqual(rule.dividend_balance, -20.0)  # taken from the next period's pool
        self.assertNoBreach()
