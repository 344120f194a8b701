from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.points_allocation.models.points_allocation_plan import plan_line_buckets

#: The plan bucket feeding the rebate pool, shown after the reward buckets (from 10) and before the platform (90),
#: whichever of points_reward and points_rebate Odoo loads first.
REBATE_BUCKETS = [("rebate", "Queued rebate pool")]
REBATE_BUCKETS_SEQUENCE = 50


class PointsAllocationPlan(models.Model):
    _inherit = "points.allocation.plan"

    rebate_lock_days = fields.Integer(
        "Rebate Lock Period", tracking=True,
        help="Days a queued rebate of this plan's products stays locked (e.g. 15, 30 or 45), unless the product "
             "sets its own. 0: the company's default.")

    @api.constrains("rebate_lock_days")
    def _check_rebate_lock_days(self):
        if any(plan.rebate_lock_days < 0 for plan in self):
            raise ValidationError(_("A rebate lock period cannot be negative (0 means the company's default)."))


class PointsAllocationPlanLine(models.Model):
    _inherit = "points.allocation.plan.line"

    bucket = plan_line_buckets(REBATE_BUCKETS, REBATE_BUCKETS_SEQUENCE)
