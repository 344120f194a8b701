from itertools import permutations

from odoo.fields import resolve_mro
from odoo.tests import TransactionCase, tagged

from odoo.addons.points_allocation.models.points_allocation_plan import BucketSelection

#: SPEC §4's order of the buckets: the pool, the reward buckets, the queued rebate pool, the retained buckets.
SPEC_ORDER = ["pool", "referral", "rank_differential", "peer", "regional", "dividend", "service_point", "merchant",
              "rebate", "platform", "cost"]


@tagged("post_install", "-at_install")
class TestBucketOrder(TransactionCase):
    """With points_reward and points_rebate both installed, buckets show in SPEC §4's order (issue 16)."""

    def test_plan_lines_and_allocation_rows_offer_the_buckets_in_spec_order(self):
        for model in ("points.allocation.plan.line", "points.allocation"):
            selection = self.env[model].fields_get(["bucket"])["bucket"]["selection"]
            self.assertEqual([value for value, _label in selection], SPEC_ORDER, model)
        labels = dict(self.env["points.allocation.plan.line"].fields_get(["bucket"])["bucket"]["selection"])
        self.assertEqual(labels["rebate"], "Queued rebate pool")

    def test_the_order_does_not_depend_on_the_order_modules_load_in(self):
        for model in ("points.allocation.plan.line", "points.allocation"):
            model_class = type(self.env[model])
            definitions = list(reversed(resolve_mro(self.env[model], "bucket", BucketSelection.__instancecheck__)))
            base, *extensions = definitions
            self.assertLessEqual({"points_reward", "points_rebate"}, {field._module for field in extensions})
            for loading_order in permutations(extensions):
                field = BucketSelection(_base_fields=(base, *loading_order))
                field._setup_attrs(model_class, "bucket")
                self.assertEqual([value for value, _label in field.selection], SPEC_ORDER,
                                 [extension._module for extension in loading_order])
