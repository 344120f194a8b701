from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_confirm(self):
        for order in self:
            order._points_check_roles(order.order_line)
        return super().action_confirm()


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    points_role = fields.Selection(related="product_id.points_role")
    points_territory_id = fields.Many2one(
        "points.territory", string="Territory", domain="[('company_id', '=', company_id)]",
        help="The territory this agency product sells, when the product has no fixed territory.")


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    points_territory_id = fields.Many2one("points.territory", compute="_compute_points_territory_id",
                                          string="Territory")

    @api.depends("sale_line_ids.points_territory_id")
    def _compute_points_territory_id(self):
        """Invoice lines are the paid lines of sales orders: the territory is their order line's."""
        for line in self:
            line.points_territory_id = line.sale_line_ids[:1].points_territory_id
