from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pos_points_take_rate = fields.Float(related="pos_config_id.points_take_rate", readonly=False)
    pos_points_merchant_id = fields.Many2one(related="pos_config_id.points_merchant_id", readonly=False)
    pos_points_service_point_id = fields.Many2one(related="pos_config_id.points_service_point_id", readonly=False)
    points_pos_payment_method_count = fields.Integer(
        string="Number of Points Payment Methods", compute="_compute_points_pos_counts")
    points_service_point_count = fields.Integer(
        string="Number of Service Points", compute="_compute_points_pos_counts")

    # A dependency is what makes the Settings page compute them: a compute without one is left at 0 on the
    # new record the page opens.
    @api.depends("company_id")
    def _compute_points_pos_counts(self):
        for settings in self:
            company = settings.company_id or self.env.company
            settings.points_pos_payment_method_count = self.env["pos.payment.method"].search_count(
                [("points_payment", "=", True), ("company_id", "in", (company.id, False))])
            settings.points_service_point_count = self.env["res.partner"].search_count(
                [("points_is_service_point", "=", True), ("company_id", "in", (company.id, False))])
