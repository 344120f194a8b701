from odoo import api, models


class PointsMemberService(models.AbstractModel):
    _inherit = "points.member.service"

    @api.model
    def _legacy_data(self):
        """The signed-in member's legacy figures (read with their own rights), or None if they have none."""
        line = self.env["points.legacy.report"].search(
            [("partner_id", "=", self._member().id), ("company_id", "=", self.env.company.id)], limit=1)
        if not line:
            return None
        return {"payable": line.payable, "balance": line.balance, "spent": line.spent,
                "released_points": line.released_points, "released_value": line.released_value,
                "remaining": line.remaining, "covered": line.covered}
