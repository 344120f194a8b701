from odoo import _, api, fields, models
from odoo.exceptions import UserError


class PointsPickupWizard(models.TransientModel):
    """Back office: find a POS order by its reference or receipt barcode and verify its pickup."""

    _name = "points.pickup.wizard"
    _description = "Verify a Pickup"

    reference = fields.Char(string="Order Reference or Barcode", help="Scan the receipt's barcode or type its reference.")
    order_id = fields.Many2one("pos.order", compute="_compute_order_id", store=True, readonly=False)
    partner_id = fields.Many2one(related="order_id.partner_id")
    pickup_point_id = fields.Many2one(related="order_id.points_pickup_point_id")
    amount_total = fields.Monetary(related="order_id.amount_total")
    currency_id = fields.Many2one(related="order_id.currency_id")
    verified_at = fields.Datetime(related="order_id.points_pickup_verified_at")
    verified_by_id = fields.Many2one(related="order_id.points_pickup_verified_by_id")
    message = fields.Char(compute="_compute_order_id", store=True)

    @api.depends("reference")
    def _compute_order_id(self):
        for wizard in self:
            wizard.order_id, wizard.message = False, False
            if not (wizard.reference or "").strip():
                continue
            try:
                wizard.order_id = self.env["pos.order"]._points_find_for_pickup(wizard.reference)
            except UserError as error:
                wizard.message = error.args[0]

    def action_verify(self):
        self.ensure_one()
        order = self.order_id or self.env["pos.order"]._points_find_for_pickup(self.reference)
        order._points_verify_pickup()
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {
                "type": "success", "sticky": False,
                "message": _("Pickup of %(order)s verified at %(point)s.", order=order.pos_reference or order.name,
                             point=order.points_pickup_point_id.display_name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
