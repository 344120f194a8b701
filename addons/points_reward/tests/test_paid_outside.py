from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import RewardCase


@tagged("post_install", "-at_install")
class TestRewardsPaidOutside(RewardCase):
    """Rules paid outside the platform (线下统计发放): rewards computed and recorded, never credited to wallets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.referrer, cls.buyer = cls.make_chain(2, prefix="Outside ")
        cls.outside = cls.rule("level", name="Offline level 1", level=1, basis="fixed", value=100,
                               payout_mode="outside")

    def statement(self, partner, payout_mode="all"):
        today = self.env["points.reward.statement.wizard"]._fields["date_to"].default(self.env["res.partner"])
        return self.env["report.points_reward.report_reward_statement"]._statement(
            partner, self.company, today.replace(day=1), today, payout_mode=payout_mode)

    def test_a_reward_paid_outside_is_recorded_without_any_movement(self):
        before = self.snapshot()
        line, reward = self.reward_line(self.buyer, {"referral": 330.0})
        self.assertEqual((reward.partner_id, reward.amount, reward.state), (self.referrer, 100.0, "outside"))
        self.assertFalse(reward.ledger_ids, "no ledger row")
        self.assertFalse(reward.release_date)
        self.assertEqual(self.snapshot(), before, "no wallet, pool, ledger or journal entry changes")
        self.env["points.reward"]._cron_release_rewards()
        self.assertEqual(reward.state, "outside", "the release job never credits it")
        self.assertEqual(self.statement(self.referrer)["outside"], 100.0)
        self.assertNoBreach()

    def test_refunds_reverse_the_recorded_amount_once_per_refund(self):
        line, reward = self.reward_line(self.buyer, {"referral": 330.0})
        before = self.snapshot()
        refund = self.order("Refund 1")
        self.env["points.reward"]._reverse_source(line, 0.25, refund)
        self.env["points.reward"]._reverse_source(line, 0.25, refund)
        self.assertEqual((reward.reversed_amount, reward.net_amount, reward.state), (25.0, 75.0, "outside"))
        self.env["points.reward"]._reverse_source(line, 0.75, self.order("Refund 2"))
        self.assertEqual((reward.net_amount, reward.state), (0.0, "reversed"))
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.statement(self.referrer)["outside"], 0.0)
        self.assertNoBreach()

    def test_the_statement_and_the_export_list_show_the_period_by_beneficiary(self):
        paid_here = self.rule("level", name="Platform level 1", level=1, basis="fixed", value=10)
        self.reward_line(self.buyer, {"referral": 330.0})
        self.assertEqual(self.statement(self.referrer)["net"], 110.0)
        self.assertEqual(self.statement(self.referrer, "outside")["net"], 100.0)
        self.assertEqual(self.statement(self.referrer, "platform")["net"], 10.0)
        form = Form(self.env["points.reward.statement.wizard"])
        form.payout_mode = "outside"
        wizard = form.save()
        action = wizard.action_open_rewards()
        rewards = self.env["points.reward"].search(action["domain"])
        self.assertEqual((rewards.partner_id, rewards.rule_id), (self.referrer, self.outside))
        report = wizard.with_context(discard_logo_check=True).action_print()
        self.assertEqual(report["context"]["active_ids"], self.referrer.ids, "every beneficiary of the period")
        self.assertEqual(report["data"]["payout_mode"], "outside")
        html = self.env["ir.actions.report"]._render_qweb_html(
            "points_reward.points_reward_statement_report", self.referrer.ids, data=report["data"])[0]
        self.assertIn(b"to be paid outside the platform", html)
        self.assertTrue(paid_here)

    def test_bad_input_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be paid outside"), self.env.cr.savepoint():
            self.rule("dividend", payout_mode="outside")
        form = Form(self.env["points.reward.statement.wizard"])
        form.payout_mode = "outside"
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "No reward in this period"):
            wizard.action_print()
        with self.assertRaisesRegex(UserError, "starts after it ends"), self.env.cr.savepoint():
            wizard.write({"date_from": "2030-01-02", "date_to": "2030-01-01"})
        stranger = new_test_user(self.env, "outside_stranger", company_id=self.company.id, groups="base.group_user")
        with self.assertRaises(AccessError):
            wizard.with_user(stranger).action_open_rewards()
