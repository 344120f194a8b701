from odoo import api, fields, models


class PointsIntegrityCheck(models.TransientModel):
    """Verifies SPEC §3.3 for one pool and lists every breach."""

    _name = "points.integrity.check"
    _description = "Points Integrity Check"

    pool_id = fields.Many2one(
        "points.pool", required=True, default=lambda self: self.env["points.pool"]._get_for_company(self.env.company))
    company_id = fields.Many2one(related="pool_id.company_id")
    issue_ids = fields.One2many("points.integrity.issue", "check_id", readonly=True)
    issue_count = fields.Integer(compute="_compute_issue_count")
    checked_at = fields.Datetime(readonly=True)

    @api.depends("issue_ids")
    def _compute_issue_count(self):
        for check in self:
            check.issue_count = len(check.issue_ids)

    def action_run(self):
        for check in self:
            check.issue_ids.unlink()
            breaches = check.pool_id._integrity_breaches()
            check.write({
                "checked_at": fields.Datetime.now(),
                "issue_ids": [fields.Command.create(breach) for breach in breaches],
            })
        return self._open_action()

    def _open_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
            "view_mode": "form", "views": [(False, "form")], "target": "new",
        }


class PointsIntegrityIssue(models.TransientModel):
    _name = "points.integrity.issue"
    _description = "Points Integrity Breach"

    check_id = fields.Many2one("points.integrity.check", "Integrity Check", required=True, ondelete="cascade")
    name = fields.Char("Invariant", required=True)
    partner_id = fields.Many2one("res.partner")
    expected = fields.Float(digits=(16, 6))
    actual = fields.Float(digits=(16, 6))
    difference = fields.Float(digits=(16, 6), compute="_compute_difference")

    @api.depends("expected", "actual")
    def _compute_difference(self):
        for issue in self:
            issue.difference = issue.actual - issue.expected
