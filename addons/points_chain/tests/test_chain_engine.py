import random
from datetime import datetime, timedelta
from decimal import Decimal

from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from odoo.addons.points_engine.chain import AGENT, BOSS, IDENTITIES, MEMBER, ChainTree
from odoo.addons.points_sale.tests.common import PointsSaleCase

CENT = Decimal("0.01")


@tagged("post_install", "-at_install")
class TestChainAgreesWithTheEngine(PointsSaleCase):
    """Random referral trees, package orders, gifts and periods through the module give exactly what the engine
    gives for the same sequence: identities, teams, placements, contributed lines, rewards, funds and releases.
    The module only loads rows, counts orders in SQL and calls the engine; these scenarios hold it to that."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        plan = cls.env["points.allocation.plan"].create({"name": "Package", "company_id": cls.company.id, "line_ids": [
            Command.create({"bucket": "pool", "basis": "price", "value": 30.0}),
            Command.create({"bucket": "referral", "basis": "price", "value": 33.0})]})
        cls.product.product_tmpl_id.points_plan_id = plan
        cls.env["points.depth.limit.wizard"].create(
            {"pool_id": cls.pool.id, "new_limit": 100, "acknowledged": True}).action_confirm()
        cls.program = cls.env["points.chain.program"].create({
            "name": "Package 2+1", "company_id": cls.company.id, "task_orders": 3, "period": "weekly",
            "product_tmpl_ids": [Command.set(cls.product.product_tmpl_id.ids)]})
        cls.program.action_enable()

    def pay(self, partner):
        line = self.env["res.partner.category"].create({"name": f"package of {partner.name}"})
        rows = self.env["points.allocation"]._allocate(line, order=None, partner=partner, product=self.product,
                                                       quantity=1, amount=1000.0, company=self.company)
        rows._on_paid()
        return line

    def split(self, line):
        got = {}
        for reward in self.env["points.reward"].search([("source_model", "=", line._name), ("source_id", "=", line.id),
                                                        ("chain_program_id", "=", self.program.id)]):
            key = (reward.partner_id.id, reward.chain_kind)
            paid, held = got.get(key, (Decimal(0), Decimal(0)))
            amount = Decimal(str(reward.amount)).quantize(CENT)
            got[key] = (paid + (0 if reward.chain_fund else amount), held + (amount if reward.chain_fund else 0))
        return got

    def assertSameState(self, tree, partners, step):
        rows = {row.partner_id.id: row for row in self.env["points.chain.member"].search(
            [("program_id", "=", self.program.id)])}
        for partner in partners:
            key, row = partner.id, rows.get(partner.id)
            got = (row.identity, row.team_boss_id.id or None, set(row.line_ids.ids),
                   Decimal(str(row.fund)).quantize(CENT), row.released, row.placement_parent_id.id or None) \
                if row else (MEMBER, None, set(), Decimal(0), False, None)
            placement = tree.placement_parent(key) if self.program.policy == "spillover" else None
            expected = (tree.identity(key), tree.team_boss(key), set(tree.contributed_lines(key)),
                        tree.fund(key).quantize(CENT), tree.released(key), placement)
            self.assertEqual(got, expected, f"{partner.name} after step {step}")

    def run_scenario(self, policy, seed, members=22, steps=60):
        self.program.policy = policy
        rng = random.Random(seed)
        tree = ChainTree(self.program._rules())
        Partner = self.env["res.partner"]
        partners = Partner
        for n in range(members):
            partner = Partner.create({"name": f"{policy} {n}"})
            self.env["points.wallet"]._get_for_partner(partner, self.company)
            referrer = rng.choice(partners) if partners and rng.random() < 0.9 else None
            if referrer:
                partner._bind_referrer(referrer, via="staff", reason="test")
            tree.join(partner.id, referrer.id if referrer else None)
            partners |= partner
        start, week, day = datetime(2026, 1, 5), 0, 0
        released = 0
        for step in range(steps):
            action = rng.choices(["order", "gift", "close"], [80, 6, 14 if policy == "periodic" else 0])[0]
            partner = rng.choice(partners)
            if action == "order":
                day = min(day + 1, 6)
                with freeze_time(start + timedelta(days=7 * week + day, hours=step % 20)):
                    line = self.pay(partner)
                payouts = tree.package_order(partner.id)
                expected = {(p.member, p.kind): (p.amount - p.held, p.held) for p in payouts}
                self.assertEqual(self.split(line), expected, f"rewards of {partner.name}'s order, step {step}")
                released += len(payouts.released)
            elif action == "gift":
                identity = rng.choice([AGENT, BOSS])
                if IDENTITIES.index(identity) <= IDENTITIES.index(tree.identity(partner.id)):
                    continue
                self.env["points.chain.member"]._get(self.program, partner).action_set_identity(identity)
                tree.set_identity(partner.id, identity)
            else:
                end = start + timedelta(days=7 * (week + 1))
                with freeze_time(end):
                    self.env["points.chain.event"]._queue_program_events(
                        self.program, "reassign", period_start=end - timedelta(days=7), date=end)
                tree.close_period()
                week, day = week + 1, 0
                self.assertSameState(tree, partners, step)
        self.assertSameState(tree, partners, steps)
        self.assertFalse(self.env["points.chain.event"].search_count([("program_id", "=", self.program.id)]))
        self.assertNoBreach()
        return released

    def test_without_dead_line_policy(self):
        self.assertTrue(sum(self.run_scenario("none", seed) for seed in (1, 2)), "some funds were released")

    def test_with_periodic_reassignment(self):
        self.run_scenario("periodic", 11, steps=90)  # twice one candidate for two dead lines: the oldest goes
        self.assertTrue(self.env["points.chain.history"].search_count(
            [("reason", "=", "reassign"), ("member_id.program_id", "=", self.program.id)]), "some lines were replaced")

    def test_with_spillover(self):
        self.assertTrue(self.run_scenario("spillover", 4, members=30), "some funds were released")
        placed = self.env["points.chain.member"].search([("program_id", "=", self.program.id),
                                                         ("placement_parent_id", "!=", False)])
        self.assertTrue(placed.filtered(lambda row: row.placement_parent_id != row.partner_id.referrer_id),
                        "some referrals spilled below their referrer's lines")
