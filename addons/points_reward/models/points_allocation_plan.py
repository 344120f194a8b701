from odoo import api, fields, models

from odoo.addons.points_allocation.models.points_allocation_plan import plan_line_buckets

#: The plan buckets the reward rules pay, in display order from ``REWARD_BUCKETS_SEQUENCE`` (after the pool,
#: before the queued rebate and the platform: see points_allocation's ``BucketSelection``).
REWARD_BUCKETS = [
    ("referral", "Referral rewards"),
    ("rank_differential", "Rank differential"),
    ("peer", "Peer reward"),
    ("regional", "Regional agents"),
    ("dividend", "Dividend pool"),
    ("service_point", "Service point"),
    ("merchant", "Merchant recruitment"),
]
REWARD_BUCKETS_SEQUENCE = 10


class PointsAllocationPlan(models.Model):
    _inherit = "points.allocation.plan"

    static_return_warning = fields.Char(
        compute="_compute_static_return_warning",
        help="Shown when the plan feeds the profit pool and the pool's forced-exit multiple exceeds the "
             "static-return limit.")
    reward_rule_ids = fields.Many2many("points.reward.rule", compute="_compute_reward_rule_ids",
                                       string="Reward Rules")

    @api.depends("line_ids.bucket", "company_id")
    def _compute_static_return_warning(self):
        for plan in self:
            feeds_pool = "pool" in plan.line_ids.mapped("bucket")
            pool = self.env["points.pool"].sudo()._get_for_company(plan.company_id or self.env.company)
            plan.static_return_warning = feeds_pool and pool._static_return_message()

    @api.depends("company_id")
    def _compute_reward_rule_ids(self):
        for plan in self:
            plan.reward_rule_ids = self.env["points.reward.rule"]._for_line(plan.company_id or self.env.company, plan)


class PointsAllocationPlanLine(models.Model):
    _inherit = "points.allocation.plan.line"

    bucket = plan_line_buckets(REWARD_BUCKETS, REWARD_BUCKETS_SEQUENCE)
