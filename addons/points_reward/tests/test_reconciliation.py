from odoo import Command
from odoo.tests import tagged

from .common import RewardCase


@tagged("post_install", "-at_install")
class TestRewardReconciliation(RewardCase):
    """The reconciliation report's frozen-rewards and dividend-pools sections: the balances, the ledger and the
    general ledger agree, and an entry posted by hand outside the suite shows as a difference."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.referrer, cls.buyer = cls.make_chain(2, prefix="Reconcile ")
        cls.rule("level", level=1, basis="fixed", value=100, freeze_days=7)
        cls.dividend = cls.rule("dividend", basis="fixed", value=40, lines=[(cls.director, 100)])

    def setUp(self):
        super().setUp()
        # Two packages: each freezes a 100.00 reward for the referrer and puts 40.00 in the dividend pool.
        for n in range(2):
            self.reward_line(self.buyer, {"referral": 330.0, "dividend": 40.0}, name=f"Package {n}")

    def figures(self, key):
        """[the balance the suite keeps, then each figure that must equal it] of the section ``key``."""
        sections = {section["key"]: section for section in self.pool._reconciliation_sections()}
        section = sections[key]
        return [round(section["reference"], 2)] + [round(value, 2) for _label, value in section["figures"]]

    def test_every_pool_of_the_rewards_reconciles(self):
        self.assertEqual(self.figures("frozen_rewards"), [200.0, 200.0, 200.0])
        self.assertEqual(self.figures("dividend_pools"), [80.0, 80.0, 80.0])
        self.assertEqual(self.dividend.dividend_balance, 80.0)
        # A released reward leaves the frozen rewards for the wallets payable.
        self.env["points.reward"].search([("partner_id", "=", self.referrer.id)])[:1].action_release_now()
        self.assertEqual(self.figures("frozen_rewards"), [100.0, 100.0, 100.0])
        self.assertEqual(self.figures("wallets")[0], self.figures("wallets")[2])
        # Sharing the dividend pool (the referrer is its only director) moves it to the frozen rewards.
        self.referrer._set_rank(self.director, self.company)
        self.env["points.dividend.period"]._close(self.dividend)
        self.assertEqual(self.figures("dividend_pools"), [0.0, 0.0, 0.0])
        self.assertEqual(self.figures("frozen_rewards"), [180.0, 180.0, 180.0])
        self.assertNoBreach()

    def test_an_entry_posted_by_hand_shows_as_a_difference(self):
        move = self.env["account.move"].create({
            "move_type": "entry", "journal_id": self.pool.journal_id.id, "company_id": self.company.id,
            "line_ids": [
                Command.create({"name": "Manual", "account_id": self.pool.reward_expense_account_id.id,
                                "debit": 30.0, "partner_id": self.referrer.id}),
                Command.create({"name": "Manual", "account_id": self.pool.frozen_reward_account_id.id,
                                "credit": 30.0, "partner_id": self.referrer.id}),
            ],
        })
        move.action_post()
        self.assertEqual(self.figures("frozen_rewards"), [200.0, 200.0, 230.0])
        self.assertEqual(self.figures("dividend_pools"), [80.0, 80.0, 80.0])
        self.assertTrue(any(breach["name"] == "General ledger frozen rewards = frozen balance"
                            for breach in self.pool._integrity_breaches()))
