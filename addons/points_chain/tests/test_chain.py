from decimal import Decimal

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.points_engine.chain import ChainTree

from .common import ChainCase


@tagged("post_install", "-at_install")
class TestChain(ChainCase):
    """Chain reward 2+1 (SPEC §10) through real paid sales orders of a 1,000.00 package."""

    def test_identities_teams_and_the_three_kinds(self):
        self.build_to_a()
        self.assertEqual(self.member("U").identity, "boss")
        self.assertEqual(self.member("T").identity, "boss", "t3, T's third agent referral, made T a boss")
        self.assertEqual(self.member("t1").team_boss_id, self.m["U"], "t1 was contributed to T's team boss")
        self.assertEqual(self.member("t3").team_boss_id, self.m["T"])
        self.assertEqual(self.member("T").line_ids, self.m["t1"] | self.m["t2"])
        # a boss referred the buyer: 300 direct + 30 peer, 20% of each held in the fund
        self.assertEqual(self.split(self.rewards(self.buy("A"))),
                         {("T", "direct"): (240.0, 60.0), ("U", "peer"): (24.0, 6.0)})
        self.buy("a1")
        self.buy("a2")
        self.assertEqual(self.member("a1").team_boss_id, self.m["T"])
        # an agent referred the buyer: 100 direct + 200 see-point + 20 peer
        self.assertEqual(self.split(self.rewards(self.buy("Y"))),
                         {("a1", "direct"): (80.0, 20.0), ("T", "see_point"): (160.0, 40.0), ("U", "peer"): (16.0, 4.0)})
        self.buy("X")
        self.assertEqual(self.member("A").identity, "boss")
        self.assertEqual(self.member("X").team_boss_id, self.m["A"])
        self.assertEqual(self.member("A").history_ids.filtered(lambda h: h.new_identity == "boss").reason, "order")
        # a repeat purchase pays again and changes no identity
        self.assertEqual(self.split(self.rewards(self.buy("X"))),
                         {("A", "direct"): (240.0, 60.0), ("T", "peer"): (24.0, 6.0)})
        self.assertEqual(self.member("T").fund, 60 + 60 + 40 + 40 + 40 + 6 + 6 + 20 + 20)
        self.assertNoBreach()

    def test_the_fund_is_released_by_the_21st_order_below_the_contributed_lines(self):
        self.build_to_a()
        for key in ["A", "a1", "a2", "X"]:
            self.buy(key)
        a = self.member("A")
        self.assertEqual(a.line_ids, self.m["a1"] | self.m["a2"])
        self.assertEqual(a.fund, 20 + 20 + 60)
        self.buy("Y")  # 1 order below a1
        Partner = self.env["res.partner"]
        for n in range(19):
            partner = Partner.create({"name": f"y{n}"})
            partner._bind_referrer(self.m["a2"], via="staff", reason="test")
            self.buy(partner)
        a.invalidate_recordset()
        self.assertFalse(a.released)
        self.assertIn("20 / 21", a.task_progress)
        fund = a.fund
        self.assertGreater(fund, 100)
        last = Partner.create({"name": "z"})
        last._bind_referrer(self.m["a2"], via="staff", reason="test")
        self.buy(last)
        a.invalidate_recordset()
        self.assertTrue(a.released)
        self.assertEqual(a.fund, 0)
        released = self.env["points.reward"].search([("partner_id", "=", self.m["A"].id), ("chain_fund", "=", True)])
        self.assertEqual(set(released.mapped("state")), {"available"})
        self.assertEqual(sum(released.mapped("amount")), fund + 6)  # z's order paid A a peer of 30, 6 held
        # released funds are never held again
        self.assertEqual(self.split(self.rewards(self.buy(last))).get(("A", "peer")), (30.0, 0.0))
        self.assertNoBreach()

    def test_a_refund_reverses_the_rewards_and_the_fund_pro_rata(self):
        self.build_to_a()
        invoice = self.buy("A")
        fund_before = self.member("T").fund
        self.credit_note(invoice, quantity=0.5)
        rewards = self.rewards(invoice)
        self.assertEqual(sorted(rewards.mapped("net_amount")), [3.0, 12.0, 30.0, 120.0])
        self.assertEqual(self.member("T").fund, fund_before - 30)
        self.assertNoBreach()

    def test_rates_are_shares_typed_as_percentages(self):
        """The peer and fund rates are shares (0.10 for 10%) shown with the percentage widget, like the pool's."""
        program = self.env["points.chain.program"].new({"name": "Defaults"})
        self.assertEqual((program.peer_rate, program.fund_rate), (0.10, 0.20))
        rules = program._rules()
        self.assertEqual((rules.peer_rate, rules.fund_rate), (Decimal("0.1"), Decimal("0.2")))
        form = self.env.ref("points_chain.points_chain_program_view_form")
        for name in ("peer_rate", "fund_rate"):
            self.assertIn(f'<field name="{name}" widget="percentage"/>', form.arch_db)
        with self.assertRaisesRegex(ValidationError, "cannot exceed 100%"):
            self.env["points.chain.program"].create({"name": "Too much", "company_id": self.company.id,
                                                     "peer_rate": 1.5})

    def test_enabling_needs_the_depth_acknowledgement(self):
        self.pool.with_context(points_depth_acknowledged=True).reward_depth_limit = 2
        program = self.env["points.chain.program"].create({"name": "Other", "company_id": self.company.id})
        with self.assertRaises(UserError):
            program.action_enable()
        self.assertEqual(program.state, "draft")
        self.assertIn("300.00", program.sample_split)
        self.assertEqual(program.max_payout, 330.0)

    def test_the_rules_are_named_after_the_program_in_every_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        program = self.env["points.chain.program"].create({"name": "Spring package", "company_id": self.company.id})
        self.assertEqual(program.rule_id.with_context(lang="en_US").name, "Spring package (chain rewards)")
        program.with_context(lang="zh_CN").name = "春季礼包"
        self.assertEqual(program.rule_id.with_context(lang="zh_CN").name, "春季礼包（链动奖励）")
        self.assertEqual(program.fund_rule_id.with_context(lang="zh_CN").name, "春季礼包（链动基金）")
        self.assertEqual(program.fund_rule_id.with_context(lang="en_US").name, "Spring package (chain fund)")

    def test_a_member_sees_only_their_own_team(self):
        self.build_to_a()
        self.buy("A")
        user = new_test_user(self.env, login="chain_portal", groups="base.group_portal", partner_id=self.m["T"].id)
        visible = self.env["points.chain.member"].with_user(user).search([])
        self.assertEqual(visible.partner_id, self.m["T"] | self.m["t3"] | self.m["A"])
        with self.assertRaises(AccessError):
            self.member("U").with_user(user).read(["fund"])

    def test_staff_gift_is_logged_and_never_lowers(self):
        self.buy("U")
        member = self.env["points.chain.member"]._get(self.program, self.m["u1"])
        member.action_gift_boss()
        self.assertEqual(member.identity, "boss")
        self.assertEqual(self.member("U").line_ids, self.m["u1"], "a gifted agent takes a contributed slot")
        self.assertEqual(member.history_ids.mapped("reason"), ["manual"])
        with self.assertRaises(UserError):
            member.action_set_identity("agent")

    def test_periodic_reassignment_replaces_a_dead_line_by_the_most_active_one(self):
        self.program.write({"policy": "periodic", "period": "weekly", "next_reassign_date": "2026-03-16"})
        with freeze_time("2026-03-02 10:00:00"):
            self.build_to_a()
            for key in ["A", "a1", "a2", "X"]:
                self.buy(key)
        a = self.member("A")
        self.assertEqual(a.line_ids, self.m["a1"] | self.m["a2"])
        with freeze_time("2026-03-10 10:00:00"):  # the period 9–15 March: a1's line is dead
            self.buy("X")
            self.buy("X")
            below = self.env["res.partner"].create({"name": "below a2"})
            below._bind_referrer(self.m["a2"], via="staff", reason="test")
            self.buy(below)
        with freeze_time("2026-03-15 23:00:00"):
            self.env["points.chain.program"]._cron_reassign()
        self.assertEqual(a.line_ids, self.m["a1"] | self.m["a2"], "the period is not over yet")
        with freeze_time("2026-03-16 08:00:00"):
            self.env["points.chain.program"]._cron_reassign()
        a.invalidate_recordset()
        self.assertEqual(a.line_ids, self.m["X"] | self.m["a2"])
        self.assertEqual(self.member("a1").team_boss_id, self.m["A"], "the dropped line joins A's own team")
        # the same happened above: U's line u1 and T's line t1 were dead too (U and T are bosses), replaced by
        # the line that bought (T below U, A below T); each new line is contributed to its earner's team boss
        self.assertEqual(self.member("U").line_ids, self.m["T"] | self.m["u2"])
        self.assertEqual(self.member("T").line_ids, self.m["A"] | self.m["t2"])
        self.assertEqual(self.member("u1").team_boss_id, self.m["U"])
        self.assertEqual(self.member("t1").team_boss_id, self.m["T"])
        self.assertFalse(self.member("T").team_boss_id, "T is now contributed to U's team boss (none)")
        self.assertEqual(self.member("X").team_boss_id, self.member("A").team_boss_id)
        self.assertEqual(a.history_ids.filtered(lambda h: h.reason == "reassign").mapped("note")[0][:7], "Line a1")
        self.assertEqual(self.program.next_reassign_date.isoformat(), "2026-03-23")

    def test_spillover_places_the_fourth_and_fifth_referrals_under_line_three(self):
        self.program.policy = "spillover"
        Partner = self.env["res.partner"]
        referrals = []
        self.buy("U")
        for n in range(1, 7):
            partner = Partner.create({"name": f"r{n}"})
            partner._bind_referrer(self.m["U"], via="staff", reason="test")
            referrals.append(partner)
            invoice = self.buy(partner)
        placed = {p.name: self.env["points.chain.member"].search([("program_id", "=", self.program.id),
                                                                  ("partner_id", "=", p.id)]) for p in referrals}
        self.assertEqual([placed[f"r{n}"].placement_parent_id.name for n in range(1, 7)],
                         ["U", "U", "U", "r3", "r3", "r1"])
        self.assertEqual(self.member("U").identity, "boss", "r3, the third agent below U, made U a boss")
        # the placement tree decides teams: r4, placed under agent r3 (U's team), is contributed to U's team
        self.assertEqual(placed["r4"].team_boss_id, self.m["U"])
        self.assertEqual(placed["r3"].line_ids, referrals[3] | referrals[4])
        # the referral tree decides direct rewards: U referred r6 and earns the boss's 300
        self.assertEqual(self.split(self.rewards(invoice)), {("U", "direct"): (240.0, 60.0)})

    def test_spillover_task_counts_the_orders_placed_below_the_contributed_lines(self):
        """三三滑落 helps the lines left to the upline: the referrals spilled under U's contributed lines r1 and r2
        count for U's task, although r1 and r2 referred none of them (the engine says the same)."""
        self.program.write({"policy": "spillover", "task_orders": 3})
        tree = ChainTree(self.program._rules())
        tree.join(self.m["U"].id)
        tree.package_order(self.m["U"].id)
        self.buy("U")
        Partner = self.env["res.partner"]
        referrals = Partner
        for n in range(1, 10):
            partner = Partner.create({"name": f"r{n}"})
            partner._bind_referrer(self.m["U"], via="staff", reason="test")
            referrals |= partner
            tree.join(partner.id, self.m["U"].id)
            tree.package_order(partner.id)
            invoice = self.buy(partner)
        u = self.member("U")
        rows = {row.partner_id: row for row in self.env["points.chain.member"].search(
            [("program_id", "=", self.program.id), ("partner_id", "in", referrals.ids)])}
        for partner in referrals:
            self.assertEqual(rows[partner].placement_parent_id.id, tree.placement_parent(partner.id), partner.name)
            self.assertEqual(rows[partner].team_boss_id.id or None, tree.team_boss(partner.id), partner.name)
        self.assertEqual([rows[p].placement_parent_id.name for p in referrals],
                         ["U", "U", "U", "r3", "r3", "r1", "r2", "r1", "r2"])
        self.assertEqual(u.line_ids, referrals[0] | referrals[1])
        # r6 and r8 are placed below r1, r7 and r9 below r2: 4 orders, more than 3
        self.assertEqual(u.task_orders_done, 4)
        self.assertEqual(tree.task(self.m["U"].id)[4], 4)
        self.assertTrue(u.released)
        self.assertTrue(tree.released(self.m["U"].id))
        self.assertEqual(u.fund, 0)
        released = self.env["points.reward"].search([("partner_id", "=", self.m["U"].id), ("chain_fund", "=", True)])
        self.assertEqual(sum(released.mapped("amount")), 20 + 20 + 60 * 7)
        self.assertEqual(set(released.mapped("state")), {"available"})
        self.assertEqual(self.split(self.rewards(invoice)), {("U", "direct"): (240.0, 60.0)})
        self.assertNoBreach()

    def test_the_plan_warns_when_a_package_can_pay_more_than_its_chain_bucket(self):
        self.assertFalse(self.plan.chain_warning, "330.00 at most, and the plan's referral bucket holds 330.00")
        self.assertFalse(self.program.warning)
        self.plan.line_ids.filtered(lambda line: line.bucket == "referral").value = 30.0
        self.plan.invalidate_recordset(["chain_warning"])
        self.program.invalidate_recordset(["warning"])
        for warning in (self.plan.chain_warning, self.program.warning):
            self.assertIn("Package 2+1", warning)
            self.assertIn("330.00", warning)
            self.assertIn("300.00", warning)
        # the rewards are cut to the bucket: a boss referrer's 300 leaves nothing for the peer reward
        self.build_to_a()
        self.assertEqual(self.split(self.rewards(self.buy("A"))), {("T", "direct"): (240.0, 60.0)})
        # another rule paying from the same bucket is paid first; the plan says so
        self.env["points.reward.rule"].create({"name": "Direct 5%", "rule_type": "level", "level": 1,
                                               "bucket": "referral", "basis": "percent", "value": 5.0,
                                               "company_id": self.company.id})
        self.plan.invalidate_recordset(["chain_warning"])
        self.assertIn("Direct 5%", self.plan.chain_warning)
        self.assertEqual(self.split(self.rewards(self.buy("A"))), {("T", "direct"): (200.0, 50.0)},
                         "the 5% direct reward (50.00) was paid first from the 300.00 bucket")
        self.assertNoBreach()

    def test_a_line_refunded_before_the_sequencer_applied_it_pays_only_what_is_left(self):
        self.build_to_a()
        with self.pool._applying_together():
            invoice = self.buy("A")
            self.assertEqual(self.env["points.chain.event"].search_count(
                [("program_id", "=", self.program.id), ("kind", "=", "order")]), 1, "queued, not applied yet")
            self.assertFalse(self.rewards(invoice))
            self.credit_note(invoice, quantity=0.5)
        self.assertFalse(self.env["points.chain.event"].search_count([("program_id", "=", self.program.id)]))
        self.assertEqual(sorted(self.rewards(invoice).mapped("net_amount")), [3.0, 12.0, 30.0, 120.0])
        self.assertNoBreach()

    def test_spillover_a_referral_who_paid_first_comes_along_when_its_referrer_is_placed(self):
        self.program.policy = "spillover"
        self.buy("U")
        Partner = self.env["res.partner"]
        x, y = Partner.create({"name": "x"}), Partner.create({"name": "y"})
        self.env["points.wallet"]._get_for_partner(x, self.company)
        x._bind_referrer(self.m["U"], via="staff", reason="test")
        y._bind_referrer(x, via="staff", reason="test")
        self.buy(y)  # x has not paid: y is placed below x, x nowhere yet
        Member = self.env["points.chain.member"]
        row_x, row_y = (Member.search([("program_id", "=", self.program.id), ("partner_id", "=", p.id)]) for p in (x, y))
        self.assertEqual((row_y.placement_parent_id, row_x.placement_parent_id), (x, Partner))
        self.assertEqual(self.program._orders_below([self.m["U"].id, x.id]), {x.id: 1})
        self.buy(x)
        self.assertEqual(row_x.placement_parent_id, self.m["U"])
        self.assertEqual(self.program._orders_below([self.m["U"].id, x.id]), {self.m["U"].id: 2, x.id: 1},
                         "y's order came along below U")
        tree = ChainTree(self.program._rules())
        for key, referrer in [(self.m["U"].id, None), (x.id, self.m["U"].id), (y.id, x.id)]:
            tree.join(key, referrer)
        for key in (self.m["U"].id, y.id, x.id):
            tree.package_order(key)
        self.assertEqual(tree.orders_below(self.m["U"].id), 2)
        self.assertEqual(self.member("U").line_ids, x)
        self.assertEqual(self.member("U").task_orders_done, tree.task(self.m["U"].id)[4])
