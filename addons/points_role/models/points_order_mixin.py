from odoo import _, models
from odoo.exceptions import UserError


class PointsOrderMixin(models.AbstractModel):
    _inherit = "points.order.mixin"

    def _points_check_roles(self, lines):
        """Refuses order ``lines`` selling a role that cannot go to the order's customer (a taken territory, none
        chosen, the same territory twice); sales orders call it at confirmation, POS orders when synced paid."""
        self.ensure_one()
        buyer = self.partner_id.commercial_partner_id
        territories = self.env["points.territory"]
        for line in lines.filtered(lambda l: l.product_id.points_role == "agent"):
            line.product_id._points_check_role_sale(line, buyer, self.company_id)
            territory = line.product_id._points_role_territory(line)
            if territory in territories:
                raise UserError(_("The territory %s is sold twice in this order.", territory.name))
            territories |= territory
