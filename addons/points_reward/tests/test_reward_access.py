from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import RewardCase


@tagged("post_install", "-at_install")
class TestRewardAccess(RewardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user, cls.direct, cls.indirect = cls.portal_team("reward_portal")
        cls.me = cls.portal_user.partner_id
        cls.rule("level", level=1, basis="fixed", value=100)
        cls.rule("level", level=2, basis="fixed", value=50)
        cls.dividend = cls.rule("dividend", basis="fixed", value=40, lines=[(cls.director, 100)])
        cls.env["points.allocation"]._allocate(
            cls.env["res.partner.category"].create({"name": "Portal line"}), order=None, partner=cls.indirect,
            product=cls.product, quantity=1, amount=1000.0, company=cls.company)._on_paid()

    def test_portal_member_sees_only_own_rewards(self):
        rewards = self.env["points.reward"].with_user(self.portal_user).search([])
        self.assertEqual(rewards.partner_id, self.me)
        self.assertEqual(rewards.amount, 50.0)
        other = self.env["points.reward"].search([("partner_id", "=", self.direct.id)])
        with self.assertRaises(AccessError):
            other.with_user(self.portal_user).read(["amount"])
        with self.assertRaises(AccessError):
            self.env["points.reward.rule"].with_user(self.portal_user).search([])

    def test_other_company_sees_nothing(self):
        company_b = self.env["res.company"].create({"name": "Reward Company B"})
        user_b = new_test_user(self.env, "reward_user_b", groups="base.group_user,points_pool.group_points_manager",
                               company_id=company_b.id, company_ids=[company_b.id])
        env_b = self.env(user=user_b, context={"allowed_company_ids": company_b.ids})
        for model in ("points.reward", "points.reward.rule", "points.reward.rule.line", "points.agent",
                      "points.dividend.accrual", "points.dividend.period"):
            self.assertFalse(env_b[model].search([]), model)
        with self.assertRaises(AccessError):
            self.dividend.with_env(env_b).read(["name"])
        town = self.env["points.agent.level"].create({"name": "Town agent", "company_id": self.company.id})
        levels_b = env_b["points.agent.level"].search([])
        self.assertIn(self.env.ref("points_reward.agent_level_district"), levels_b, "shipped levels are shared")
        self.assertNotIn(town, levels_b)

    def test_reward_statement_shows_the_members_figures(self):
        report = self.env["report.points_reward.report_reward_statement"]
        values = report._get_report_values(self.me.ids, {"company_id": self.company.id})
        statement = values["statements"][self.me.id]
        self.assertEqual((statement["earned"], statement["net"], statement["frozen_now"]), (50.0, 50.0, 50.0))
        self.assertEqual([row["net"] for row in statement["by_rule"]], [50.0])
        html = self.env["ir.actions.report"]._render_qweb_html(
            "points_reward.points_reward_statement_report", self.me.ids, data={"company_id": self.company.id})[0]
        self.assertIn(b"Reward Statement", html)
        action = self.env["points.reward.statement.wizard"].with_context(discard_logo_check=True).create(
            {"partner_id": self.me.id}).action_print()
        self.assertEqual(action["report_name"], "points_reward.report_reward_statement")
