from odoo import api, models


class PointsMemberService(models.AbstractModel):
    _inherit = "points.member.service"

    @api.model
    def _legacy_line(self):
        """The signed-in member's legacy report line (read with their own rights); empty if they have none."""
        return self.env["points.legacy.report"].search(
            [("partner_id", "=", self._member().id), ("company_id", "=", self.env.company.id)], limit=1)
