from contextlib import contextmanager
from unittest.mock import patch

from odoo.fields import Command

from odoo.addons.points_pool.tests.common import PointsCase


@contextmanager
def pool_busy(env):
    """Requests made inside stay pending, as when another transaction holds the pool.

    The pool's sequencer leaves a request pending exactly when ``_apply_now`` finds the pool
    taken (its ``FOR UPDATE NOWAIT`` fails) and returns False. A test cannot hold the pool
    from a second connection: the test's pool is not committed, so no other connection sees
    it. ``pool._apply_pending()`` then plays the drain that follows the caller's commit.
    """
    with patch.object(type(env["points.pool"]), "_apply_now", lambda pool: False):
        yield


class AllocationCase(PointsCase):
    """PointsCase plus the SPEC §4 package plan and a product using it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Plan = cls.env["points.allocation.plan"]
        cls.package_plan = Plan.create({
            "name": "Package", "company_id": cls.company.id,
            "line_ids": [Command.create({"bucket": bucket, "basis": basis, "value": value}) for bucket, basis, value in (
                ("referral", "price", 33), ("dividend", "price", 4), ("pool", "price", 30), ("cost", "price", 20),
                ("platform", "price", 7), ("service_point", "fixed", 20), ("regional", "price", 1),
                ("rank_differential", "price", 3))],
        })
        cls.category = cls.env["product.category"].create({"name": "Packages"})
        cls.product = cls.env["product.product"].create({
            "name": "Gift package", "list_price": 1000.0, "standard_price": 200.0, "categ_id": cls.category.id,
        })
        cls.product.product_tmpl_id.with_company(cls.company).points_plan_id = cls.package_plan

    def pool_busy(self):
        return pool_busy(self.env)
