from odoo import fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    def _process_saved_order(self, draft):
        if not draft and self.state != "cancel":
            # Refused here, the error reaches the cashier and the whole synchronisation rolls back.
            self._points_check_roles(self.lines.filtered(lambda l: l.qty > 0))
        return super()._process_saved_order(draft)


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    points_territory_id = fields.Many2one("points.territory", string="Territory",
                                          help="The territory this agency product sells.")

