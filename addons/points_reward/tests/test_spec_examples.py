"""Every example of SPEC §6, through the reward computation and through paid order lines."""

from odoo.tests import tagged

from .common import RewardCase, agent_level


@tagged("post_install", "-at_install")
class TestSpecExamples(RewardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # buyer ← first (level 1) ← second (level 2) ← third (level 3)
        cls.third, cls.second, cls.first, cls.buyer = cls.make_chain(4, prefix="Spec ")

    def set_ranks(self, *ranks):
        for partner, rank in zip((self.first, self.second, self.third), ranks):
            partner._set_rank(rank, self.company)

    def test_direct_and_indirect_local_practice_pay_0_3_and_0_2_percent(self):
        self.rule("level", level=1, basis="percent", value=0.3)
        self.rule("level", level=2, basis="percent", value=0.2)
        _line, rewards = self.reward_line(self.buyer, {"referral": 330.0})
        self.assertEqual(self.earned(rewards, self.first | self.second | self.third), [3.0, 2.0, 0.0])
        self.assertEqual(sorted(rewards.mapped("level")), [1, 2])
        self.assertTrue(all(r.state == "frozen" for r in rewards))
        self.assertNoBreach()

    def test_gift_package_practice_pays_100_per_order(self):
        self.rule("level", level=1, basis="fixed", value=100)
        _line, rewards = self.reward_line(self.buyer, {"referral": 330.0}, quantity=2, base_amount=2000.0)
        self.assertEqual(self.earned(rewards, self.first), [200.0])

    def test_rank_differential_partner_cofounder_director_earn_10_10_10(self):
        self.raise_depth(3)
        self.rule("rank_differential", basis="fixed", lines=self.differential_rates())
        self.set_ranks(self.partner_rank, self.cofounder, self.director)
        _line, rewards = self.reward_line(self.buyer, {"rank_differential": 30.0})
        self.assertEqual(self.earned(rewards, self.first | self.second | self.third), [10.0, 10.0, 10.0])
        self.assertEqual(rewards.sorted("level").mapped("level"), [1, 2, 3])

    def test_rank_differential_cofounder_partner_director_earn_20_0_10(self):
        self.raise_depth(3)
        self.rule("rank_differential", basis="fixed", lines=self.differential_rates())
        self.set_ranks(self.cofounder, self.partner_rank, self.director)
        _line, rewards = self.reward_line(self.buyer, {"rank_differential": 30.0})
        self.assertEqual(self.earned(rewards, self.first | self.second | self.third), [20.0, 0.0, 10.0])

    def test_peer_earns_10_percent_of_the_differential_one_level_only(self):
        # partner ← partner ← partner ← director: the second partner is the first one's peer;
        # the third partner earns nothing (no peer of a peer), the director its differential.
        fourth = self.make_chain(1, prefix="Spec top ")
        self.third._bind_referrer(fourth, via="staff", reason="top")
        self.raise_depth(4)
        self.rule("rank_differential", basis="fixed", lines=self.differential_rates())
        self.rule("peer", value=10)
        self.set_ranks(self.partner_rank, self.partner_rank, self.partner_rank)
        fourth._set_rank(self.director, self.company)
        _line, rewards = self.reward_line(self.buyer, {"rank_differential": 30.0, "peer": 10.0})
        self.assertEqual(self.earned(rewards, self.first | self.second | self.third | fourth), [10.0, 1.0, 0.0, 20.0])
        peer = rewards.filtered(lambda r: r.rule_type == "peer")
        self.assertEqual((peer.partner_id, peer.origin_partner_id, peer.level), (self.second, self.first, 2))

    def test_no_peer_when_a_higher_rank_sits_between(self):
        self.raise_depth(3)
        self.rule("rank_differential", basis="fixed", lines=self.differential_rates())
        self.rule("peer", value=10)
        self.set_ranks(self.partner_rank, self.cofounder, self.partner_rank)
        _line, rewards = self.reward_line(self.buyer, {"rank_differential": 30.0, "peer": 10.0})
        self.assertFalse(rewards.filtered(lambda r: r.rule_type == "peer"))

    def test_regional_3_5_8_10_pays_3_2_3_2_and_a_missing_level_passes_its_share_up(self):
        cn, zhejiang = self.env.ref("base.cn"), self.env.ref("base.state_cn_ZJ")
        agents = self.make_members(4, "Agent ")
        Agent = self.env["points.agent"]
        district, city, province, region = (agent_level(self.env, code) for code in (
            "district", "city", "province", "region"))
        common = {"company_id": self.company.id}
        assignments = Agent.create([
            dict(common, partner_id=agents[0].id, level_id=district.id, zip_prefix="3100"),
            dict(common, partner_id=agents[1].id, level_id=city.id, city="Hangzhou", country_id=cn.id),
            dict(common, partner_id=agents[2].id, level_id=province.id, state_id=zhejiang.id),
            dict(common, partner_id=agents[3].id, level_id=region.id, country_id=cn.id),
        ])
        self.rule("regional", basis="fixed", lines=[("district", 3), ("city", 5), ("province", 8), ("region", 10)])
        address = self.env["res.partner"].create({"name": "Delivery", "zip": "310012", "city": "Hangzhou",
                                                  "state_id": zhejiang.id, "country_id": cn.id})
        _line, rewards = self.reward_line(self.buyer, {"regional": 10.0}, delivery_partner=address, name="All")
        self.assertEqual(self.earned(rewards, agents), [3.0, 2.0, 3.0, 2.0])
        self.assertEqual(rewards.sorted("level").mapped("level"), [1, 2, 3, 4])
        assignments[1].active = False
        _line, rewards = self.reward_line(self.buyer, {"regional": 10.0}, delivery_partner=address, name="No city")
        self.assertEqual(self.earned(rewards, agents), [3.0, 0.0, 5.0, 2.0])

    def test_dividend_pool_accrues_40_per_package_and_shares_30_30_40_by_rank(self):
        rule = self.rule("dividend", basis="fixed", value=40, lines=[
            (self.director, 30), (self.cofounder, 30), (self.partner_rank, 40)])
        self.set_ranks(self.partner_rank, self.cofounder, self.director)
        second_partner = self.make_members(1, "Another partner ")
        second_partner._set_rank(self.partner_rank, self.company)
        for n in range(3):
            self.reward_line(self.buyer, {"dividend": 40.0}, name=f"Package {n}")
        self.assertEqual(rule.dividend_balance, 120.0)
        period = self.env["points.dividend.period"]._close(rule)
        self.assertEqual((period.amount, period.distributed, period.carried, period.member_count),
                         (120.0, 120.0, 0.0, 4))
        self.assertEqual(self.earned(period.reward_ids, self.third | self.second | self.first | second_partner),
                         [36.0, 36.0, 24.0, 24.0])
        self.assertEqual(rule.dividend_balance, 0.0)
        self.assertNoBreach()

    def test_dividend_weighted_by_team_performance_and_empty_ranks_carry_forward(self):
        self.first._set_rank(self.partner_rank, self.company)
        self.second._set_rank(self.partner_rank, self.company)
        self.pay_line(self.buyer, 300.0, name="Buyer spend")  # first and second: team volume 300 each
        self.pay_line(self.second, 300.0, name="Second spend")  # second: own 300 + team 300
        rule = self.rule("dividend", basis="fixed", value=40, dividend_weighting="weighted",
                         lines=[(self.partner_rank, 50), (self.director, 50)])
        for n in range(2):
            self.reward_line(self.buyer, {"dividend": 40.0}, name=f"Package {n}")
        period = self.env["points.dividend.period"]._close(rule)
        self.assertEqual(self.earned(period.reward_ids, self.first | self.second), [13.33, 26.66])
        self.assertEqual(period.carried, 40.01)
        self.assertAlmostEqual(rule.dividend_balance, 40.01)

    def test_dividend_close_wizard_previews_then_shares(self):
        rule = self.rule("dividend", basis="fixed", value=40, lines=[(self.director, 100)])
        self.third._set_rank(self.director, self.company)
        self.reward_line(self.buyer, {"dividend": 40.0})
        wizard = self.env["points.dividend.close.wizard"].create({"rule_id": rule.id})
        self.assertIn(self.director.name, wizard.preview)
        action = wizard.action_confirm()
        period = self.env["points.dividend.period"].browse(action["res_id"])
        self.assertEqual(period.reward_ids.partner_id, self.third)

    def test_merchant_recruiter_earns_half_a_percent_of_the_store_turnover(self):
        store = self.env["res.partner"].create({"name": "Store", "points_is_merchant": True, "points_take_rate": 0.2,
                                                "points_recruiter_id": self.third.id})
        self.rule("merchant", value=0.5, bucket="platform")
        _line, rewards = self.reward_line(self.buyer, {"platform": 20.0}, store=store)
        self.assertEqual((rewards.partner_id, rewards.amount), (self.third, 5.0))

    def test_service_point_earns_20_when_the_pickup_is_verified(self):
        service_point = self.make_members(1, "Pickup point ")
        self.rule("service_point", basis="fixed", value=20)
        order = self.order("Pickup order")
        rows = self.pay_line(self.buyer, 1000.0, order=order)
        self.assertFalse(self.rewards_of(rows[:1]._source_line()).filtered(lambda r: r.rule_type == "service_point"))
        self.env["points.allocation"]._on_pickup_verified(order, service_point)
        self.env["points.allocation"]._on_pickup_verified(order, service_point)  # verified twice: paid once
        reward = self.rewards_of(rows[:1]._source_line()).filtered(lambda r: r.rule_type == "service_point")
        self.assertEqual((reward.partner_id, reward.amount), (service_point, 20.0))

    def test_rules_of_a_bucket_never_pay_more_than_the_bucket(self):
        self.rule("level", level=1, basis="fixed", value=100)
        self.rule("level", level=2, basis="fixed", value=100)
        _line, rewards = self.reward_line(self.buyer, {"referral": 150.0})
        self.assertEqual(self.earned(rewards, self.first | self.second), [100.0, 50.0])
        _line, rewards = self.reward_line(self.buyer, {}, name="No bucket")
        self.assertFalse(rewards)

    def test_a_line_rewards_each_member_once_per_rule(self):
        self.rule("level", level=1, basis="fixed", value=100)
        line, rewards = self.reward_line(self.buyer, {"referral": 330.0})
        again = self.env["points.reward"]._reward_source(line, self.buyer, {"referral": 330.0}, self.company,
                                                          base_amount=1000.0)
        self.assertFalse(again)
        self.assertEqual(self.rewards_of(line), rewards)

    def test_package_plan_of_spec_4_through_paid_lines(self):
        """The 1000.00 package: pool 300, referral 330, differential 30, regional 10, dividend 40, service 20."""
        self.raise_depth(3)
        self.rule("level", level=1, basis="fixed", value=100)
        self.rule("level", level=2, basis="fixed", value=50)
        self.rule("rank_differential", basis="fixed", lines=self.differential_rates())
        dividend = self.rule("dividend", basis="bucket", value=100, lines=[(self.director, 100)])
        self.set_ranks(self.partner_rank, self.cofounder, self.director)
        rows = self.pay_line(self.buyer, 1000.0)
        rows._on_paid()  # a second call changes nothing
        rewards = self.rewards_of(rows[:1]._source_line())
        self.assertEqual(self.earned(rewards, self.first | self.second | self.third), [110.0, 60.0, 10.0])
        self.assertEqual(dividend.dividend_balance, 40.0)
        self.assertEqual(self.pool.balance, 300.0)
        for partner, frozen in ((self.first, 110.0), (self.second, 60.0), (self.third, 10.0)):
            self.assertEqual(self.wallet(partner).frozen_balance, frozen)
        self.assertNoBreach()
