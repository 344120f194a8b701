from odoo.tests import tagged

from .common import RewardCase


@tagged("post_install", "-at_install")
class TestRewardLedgerSources(RewardCase):
    """A reward's ledger rows name the rule and the order that paid it, and land in the statement's reward or
    pool section; a dividend accrual's row names its rule and order too."""

    def test_reward_and_dividend_rows_name_their_rule_and_order(self):
        referrer, buyer = self.make_chain(2, prefix="Source ")
        self.rule("level", name="Direct referral", level=1, basis="fixed", value=100, freeze_days=7)
        self.rule("dividend", name="Director pool", basis="fixed", value=40, lines=[(self.director, 100)])
        order = self.order("S00042")
        _line, rewards = self.reward_line(buyer, {"referral": 330.0, "dividend": 40.0}, order=order)
        freeze = rewards.ledger_ids.filtered(lambda row: row.event == "reward_freeze")
        self.assertEqual(freeze.source_display, "Direct referral · S00042")
        self.assertEqual(freeze._statement_section(), "rewards")
        rewards.action_release_now()
        release = rewards.ledger_ids.filtered(lambda row: row.event == "reward_release")
        self.assertEqual((release.source_display, release._statement_section()),
                         ("Direct referral · S00042", "rewards"))
        accrual = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "dividend_accrual")])
        self.assertEqual((accrual.source_display, accrual._statement_section()), ("Director pool · S00042", "pool"))
        self.assertNotIn("$", freeze.source_display + accrual.source_display)
