from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PosConfig(models.Model):
    _inherit = "pos.config"

    points_take_rate = fields.Float(
        string="Platform Take Rate", digits=(5, 4),
        help="For a store (O2O) selling through the platform: share of its turnover the platform keeps, "
             "basis of allocation-plan buckets on commission. 0 for the platform's own shops.")
    points_price = fields.Float(
        compute="_compute_points_price", digits=(16, 6), string="Point Price",
        help="Price of the company's points when the POS loaded; the POS asks the server again for each customer.")

    @api.depends_context("company")
    def _compute_points_price(self):
        for config in self:
            pool = config.company_id.sudo().points_pool_id
            config.points_price = pool.price if pool else 0.0

    @api.constrains("points_take_rate")
    def _check_points_take_rate(self):
        for config in self:
            if not 0 <= config.points_take_rate <= 1:
                raise ValidationError(_("The take rate is a share between 0 and 1."))
