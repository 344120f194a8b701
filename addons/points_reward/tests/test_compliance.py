from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import RewardCase


@tagged("post_install", "-at_install")
class TestCompliance(RewardCase):
    def test_depth_limit_is_two_and_deeper_level_rules_are_refused_with_a_clear_error(self):
        self.assertEqual(self.pool.reward_depth_limit, 2)
        self.rule("level", level=2, value=0.2)
        with self.assertRaisesRegex(ValidationError, "deeper than the reward depth limit of 2"):
            self.rule("level", level=3, value=0.1)

    def test_raising_the_depth_needs_an_acknowledgement_logged_in_the_chatter(self):
        with self.assertRaisesRegex(UserError, "acknowledge"):
            self.pool.reward_depth_limit = 3
        wizard = Form(self.env["points.depth.limit.wizard"].with_context(default_pool_id=self.pool.id))
        wizard.new_limit = 3
        self.assertTrue(wizard.needs_acknowledgement)
        self.assertIn("pyramid selling", wizard.warning)
        record = wizard.save()
        with self.assertRaisesRegex(UserError, "Tick the acknowledgement"):
            record.action_confirm()
        self.assertEqual(self.pool.reward_depth_limit, 2)
        record.acknowledged = True
        record.action_confirm()
        self.assertEqual(self.pool.reward_depth_limit, 3)
        message = self.pool.message_ids.filtered(lambda m: "acknowledged this warning" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn("pyramid selling", message.body)
        self.assertIn(self.env.user.name, message.body)
        self.assertEqual(message.author_id, self.env.user.partner_id)
        self.rule("level", level=3, value=0.1)

    def test_lowering_below_an_existing_rule_is_refused(self):
        self.raise_depth(3)
        self.rule("level", level=3, name="Third level", value=0.1)
        with self.assertRaisesRegex(UserError, "Third level"):
            self.env["points.depth.limit.wizard"].create({"pool_id": self.pool.id, "new_limit": 2}).action_confirm()
        self.assertEqual(self.pool.reward_depth_limit, 3)

    def test_only_managers_change_the_depth(self):
        user = new_test_user(self.env, "depth_user", groups="base.group_user,points_pool.group_points_user",
                             company_id=self.company.id, company_ids=[self.company.id])
        with self.assertRaises(AccessError):
            self.env["points.depth.limit.wizard"].with_user(user).create(
                {"pool_id": self.pool.id, "new_limit": 3, "acknowledged": True}).action_confirm()

    def test_the_differential_walks_only_as_deep_as_the_limit(self):
        third, second, first, buyer = self.make_chain(4, prefix="Depth ")
        self.rule("rank_differential", basis="fixed", lines=self.differential_rates())
        first._set_rank(self.partner_rank, self.company)
        second._set_rank(self.cofounder, self.company)
        third._set_rank(self.director, self.company)
        _line, rewards = self.reward_line(buyer, {"rank_differential": 30.0})
        self.assertEqual(self.earned(rewards, first | second | third), [10.0, 10.0, 0.0])

    def test_plans_feeding_the_pool_warn_about_static_returns_above_the_limit(self):
        plan = self.package_plan
        self.assertIn("3.0× their spend", plan.static_return_warning)
        self.pool.exit_multiple = 1.0
        plan.invalidate_recordset()
        self.assertFalse(plan.static_return_warning)
        self.pool.exit_multiple = 0
        plan.invalidate_recordset()
        self.assertIn("no cap", plan.static_return_warning)
        self.assertTrue(self.pool.static_return_warning)
        # The payout-ratio banner of the plans stays: 73% of the price is paid out, above 60%.
        self.assertTrue(plan.over_limit)

    def test_rules_that_cannot_pay_say_so(self):
        rule = self.rule("rank_differential")
        self.assertIn("no rates", rule.warning)
        self.assertIn("at most 2", self.rule("peer", value=10).warning)
