from decimal import Decimal

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import AllocationCase


@tagged("post_install", "-at_install")
class TestAllocationPlans(AllocationCase):
    def test_package_plan_splits_a_1000_line_as_in_practice(self):
        split = self.package_plan._split(Decimal("1000"), Decimal("1"))
        self.assertEqual(split, {
            "referral": Decimal("330.00"), "dividend": Decimal("40.00"), "pool": Decimal("300.00"),
            "cost": Decimal("200.00"), "platform": Decimal("70.00"), "service_point": Decimal("20.00"),
            "regional": Decimal("10.00"), "rank_differential": Decimal("30.00"),
        })
        self.assertAlmostEqual(self.package_plan.payout_ratio, 0.73)
        self.assertIn("330.00", self.package_plan.sample_split)

    def test_margin_and_fixed_bases(self):
        plan = self.env["points.allocation.plan"].create({
            "name": "Margin", "company_id": self.company.id,
            "line_ids": [Command.create({"bucket": "pool", "basis": "margin", "value": 50}),
                         Command.create({"bucket": "service_point", "basis": "fixed", "value": 2.5})],
        })
        split = plan._split(Decimal("1000"), Decimal("4"), cost=Decimal("600"))
        self.assertEqual(split, {"pool": Decimal("200.00"), "service_point": Decimal("10.00")})

    def test_store_commission_basis_mints_112(self):
        store_plan = self.env["points.allocation.plan"].create({
            "name": "Store", "company_id": self.company.id,
            "line_ids": [Command.create({"bucket": "pool", "basis": "commission", "value": 80}),
                         Command.create({"bucket": "platform", "basis": "commission", "value": 10}),
                         Command.create({"bucket": "referral", "basis": "commission", "value": 10})],
        })
        split = store_plan._split(Decimal("1000"), Decimal("1"), take_rate=Decimal("0.20"))
        self.assertEqual(split["pool"], Decimal("160.00"))
        request = self.pool.contribute(self.member1, 1000, float(split["pool"]))
        self.assertEqual(request.ledger_id.mint_value, 112.0)

    def test_plan_resolution_product_category_company(self):
        Plan = self.env["points.allocation.plan"]
        self.assertEqual(Plan._get_for_product(self.product, self.company), self.package_plan)
        other = self.env["product.product"].create({"name": "Tea", "categ_id": self.category.id})
        self.assertEqual(Plan._get_for_product(other, self.company), self.company.points_default_plan_id)
        self.category.with_company(self.company).points_plan_id = self.package_plan
        child = self.env["product.category"].create({"name": "Sub", "parent_id": self.category.id})
        tea = self.env["product.product"].create({"name": "Green tea", "categ_id": child.id})
        self.assertEqual(Plan._get_for_product(tea, self.company), self.package_plan)

    def test_company_default_plan_sends_30_percent_to_the_pool(self):
        default = self.company.points_default_plan_id
        self.assertEqual(default._split(Decimal("1000"), Decimal("1")), {"pool": Decimal("300.00")})

    def test_plan_above_the_payout_limit_is_flagged(self):
        self.company.points_payout_ratio_limit = 0.5
        self.package_plan.invalidate_recordset()
        self.assertTrue(self.package_plan.over_limit)
        self.assertIn("73.00%", self.package_plan.over_limit_message)
        self.company.points_payout_ratio_limit = 0.8
        self.package_plan.invalidate_recordset()
        self.assertFalse(self.package_plan.over_limit)

    def test_bad_bucket_values_are_refused(self):
        with self.assertRaises(ValidationError):
            self.package_plan.line_ids[0].value = 150
            self.package_plan.flush_recordset()

    def test_plan_form_edits_buckets(self):
        manager = new_test_user(self.env, "plan_manager", groups="base.group_user,points_pool.group_points_manager",
                                company_id=self.company.id, company_ids=[self.company.id])
        form = Form(self.env["points.allocation.plan"].with_user(manager))
        form.name = "Simple"
        with form.line_ids.new() as line:
            line.bucket = "pool"
            line.value = 25
        plan = form.save()
        self.assertAlmostEqual(plan.payout_ratio, 0.25)
        user = new_test_user(self.env, "plan_user", groups="base.group_user,points_pool.group_points_user",
                             company_id=self.company.id, company_ids=[self.company.id])
        with self.assertRaises(AccessError):
            plan.with_user(user).write({"name": "Changed"})
