from odoo.tests import tagged

from .common import RewardCase


@tagged("post_install", "-at_install")
class TestRewardPoolRequests(RewardCase):
    """Rewards hand their movements to the pool's sequencer: what is true at once, and what follows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.referrer, cls.buyer = cls.make_chain(2, prefix="Sequenced ")
        cls.direct = cls.rule("level", level=1, basis="fixed", value=100)

    def test_reward_rows_are_written_by_the_pool_sequencer(self):
        _line, reward = self.reward_line(self.buyer, {"referral": 330.0})
        freeze = reward.ledger_ids
        self.assertEqual(freeze.mapped("event"), ["reward_freeze"])
        request = freeze.request_id
        self.assertTrue(request, "the row was written by the sequencer")
        self.assertEqual((request.kind, request.state, request.ledger_id, request.ledger_ids),
                         ("movements", "applied", freeze, freeze))
        self.assertEqual((freeze.frozen_delta, freeze.reward_id, freeze.key),
                         (100.0, reward, f"reward_freeze:points.reward,{reward.id}"))
        reward.action_release_now()
        release = reward.ledger_ids.filtered(lambda row: row.event == "reward_release")
        self.assertTrue(release.request_id)
        self.assertNotEqual(release.request_id, request, "one request per call")
        self.assertNoBreach()

    def test_dividend_accruals_are_written_by_the_pool_sequencer(self):
        rule = self.rule("dividend", basis="bucket", value=100, lines=[(self.director, 100)])
        rows = self.pay_line(self.buyer, 1000.0, name="Dividend line")
        accrual = self.env["points.dividend.accrual"].search([("rule_id", "=", rule.id)])
        row = self.env["points.ledger"].search([("dividend_accrual_id", "=", accrual.id)])
        self.assertEqual((row.event, row.amount, row.request_id.state), ("dividend_accrual", 40.0, "applied"))
        self.assertTrue(rows)
        self.assertNoBreach()

    def test_rewards_paid_while_the_pool_is_busy_follow_once_the_pool_applies_them(self):
        wallet = self.wallet(self.referrer)
        with self.pool_busy():
            rows = self.pay_line(self.buyer, 1000.0)
            reward = self.rewards_of(rows[:1]._source_line())
            self.assertEqual((reward.amount, reward.state), (100.0, "frozen"), "the reward is there at once")
            self.assertFalse(reward.ledger_ids, "its row waits for the pool")
            self.env.invalidate_all()
            self.assertEqual(wallet.frozen_balance, 0.0)
            reward.action_release_now()
            self.assertEqual(reward.state, "available")
        self.pool._apply_pending()
        self.env.invalidate_all()
        self.assertEqual((wallet.frozen_balance, wallet.cash_balance), (0.0, 100.0))
        self.assertEqual(reward.ledger_ids.mapped("event"), ["reward_release", "reward_freeze"])
        self.assertNoBreach()

    def test_a_refund_asked_twice_before_the_pool_applied_it_counts_once(self):
        rows = self.pay_line(self.buyer, 1000.0)
        reward = self.rewards_of(rows[:1]._source_line())
        credit = self.order("Credit")
        with self.pool_busy():
            rows._reverse(0.5, credit)
            self.env["points.reward"]._reverse_source(rows[:1]._source_line(), 0.5, credit)
            self.assertEqual(reward.reversed_amount, 50.0)
        self.pool._apply_pending()
        self.env.invalidate_all()
        self.assertEqual(self.wallet(self.referrer).frozen_balance, 50.0)
        self.assertEqual(len(reward.ledger_ids.filtered(lambda row: row.event == "reward_reverse")), 1)
        self.assertNoBreach()
