from odoo import api, models


class PointsAgentLevel(models.Model):
    _inherit = "points.agent.level"

    @api.constrains("company_id", "match_by")
    def _check_agents(self):
        """Territories of the level must still say what it matches by, like its agents."""
        super()._check_agents()
        self.env["points.territory"].with_context(active_test=False).search([("level_id", "in", self.ids)])._check_area()
