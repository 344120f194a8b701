from decimal import Decimal

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.points_allocation.models.points_allocation_plan import BUCKET_SELECTION
from odoo.addons.points_pool.models.points_ledger import keep_rows

from ..models.points_allocation_plan import REWARD_BUCKETS
from .common import RewardCase

REWARD_VALUES = [value for value, _label in REWARD_BUCKETS]


@tagged("post_install", "-at_install")
class TestBucketDeclaration(RewardCase):
    """Buckets are declared by the module that pays them (issue 16)."""

    def line_buckets(self):
        return [value for value, _label in self.env["points.allocation.plan.line"]._fields["bucket"].selection]

    def test_points_allocation_alone_offers_the_pool_platform_and_cost(self):
        self.assertEqual([value for value, _label in BUCKET_SELECTION], ["pool", "platform", "cost"])
        for model in ("points.allocation.plan.line", "points.allocation"):
            owned = self.env["ir.model.data"].search([
                ("module", "=", "points_allocation"), ("model", "=", "ir.model.fields.selection"),
                ("name", "=like", "selection__%s__bucket__%%" % model.replace(".", "_"))])
            values = self.env["ir.model.fields.selection"].browse(owned.mapped("res_id")).mapped("value")
            self.assertEqual(sorted(values), ["cost", "platform", "pool"], model)

    def test_reward_buckets_sit_between_the_pool_and_the_platform_in_their_order(self):
        buckets = self.line_buckets()
        self.assertEqual(REWARD_VALUES, ["referral", "rank_differential", "peer", "regional", "dividend",
                                         "service_point", "merchant"])
        positions = [buckets.index(value) for value in REWARD_VALUES]
        self.assertEqual(positions, list(range(positions[0], positions[0] + len(REWARD_VALUES))))
        self.assertEqual(buckets[0], "pool")
        self.assertEqual(buckets[-2:], ["platform", "cost"])
        self.assertLess(positions[-1], buckets.index("platform"))
        # Allocation rows and reward rules offer the plan line's buckets, in the same order.
        self.assertEqual([value for value, _label in self.env["points.allocation"]._fields["bucket"].selection],
                         buckets)
        rule_field = self.env["points.reward.rule"]._fields["bucket"]
        self.assertEqual([value for value, _label in rule_field._description_selection(self.env)], buckets)
        # Uninstalling points_reward would delete plan lines of its buckets and keep the allocation rows.
        line_ondelete = self.env["points.allocation.plan.line"]._fields["bucket"].ondelete
        row_ondelete = self.env["points.allocation"]._fields["bucket"].ondelete
        for value in REWARD_VALUES:
            self.assertEqual(line_ondelete[value], "cascade")
            self.assertIs(row_ondelete[value], keep_rows)
        self.assertNotIn("pool", line_ondelete)

    def test_a_plan_splits_into_the_reward_buckets(self):
        plan = self.env["points.allocation.plan"].create({
            "name": "Every bucket", "company_id": self.company.id,
            "line_ids": [Command.create({"bucket": bucket, "basis": "price", "value": value}) for bucket, value in (
                ("merchant", 1), ("cost", 20), ("referral", 10), ("platform", 9), ("pool", 30), ("peer", 2),
                ("service_point", 3), ("regional", 4), ("dividend", 5), ("rank_differential", 6))],
        })
        split = plan._split(Decimal("1000"), Decimal("1"))
        self.assertEqual(split, {
            "merchant": Decimal("10.00"), "cost": Decimal("200.00"), "referral": Decimal("100.00"),
            "platform": Decimal("90.00"), "pool": Decimal("300.00"), "peer": Decimal("20.00"),
            "service_point": Decimal("30.00"), "regional": Decimal("40.00"), "dividend": Decimal("50.00"),
            "rank_differential": Decimal("60.00"),
        })
        # Paid out: everything but platform and cost, 610.00 of 1000.00.
        self.assertAlmostEqual(plan.payout_ratio, 0.61)
        # The sample lists the buckets in the selection's order, not the plan lines'.
        labels = dict(self.env["points.allocation.plan.line"]._fields["bucket"].selection)
        sample = plan.sample_split
        offsets = [sample.index(labels[bucket]) for bucket in self.line_buckets() if bucket in split]
        self.assertEqual(offsets, sorted(offsets))
        self.assertEqual(len(offsets), len(split))
