from odoo import api, fields, models


class PointsAllocationPlan(models.Model):
    """The plan warns when a chain program selling under it can pay more than its chain bucket."""

    _inherit = "points.allocation.plan"

    chain_warning = fields.Text(
        compute="_compute_chain_warning",
        help="Chain programs whose package, sold under this plan, can pay more than the plan's chain bucket (the "
             "rewards are then cut to the bucket), or share the bucket with other reward rules.")

    @api.depends("line_ids.bucket", "line_ids.basis", "line_ids.value", "company_id")
    def _compute_chain_warning(self):
        Program = self.env["points.chain.program"].sudo()
        for plan in self:
            company = plan.company_id or self.env.company
            messages = []
            if plan._origin:
                for program in Program.search([("company_id", "=", company.id), ("product_tmpl_ids", "!=", False)]):
                    messages += program._bucket_warnings(plan)
            plan.chain_warning = "\n".join(messages) or False
