from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    points_is_merchant = fields.Boolean(
        string="Points Merchant", help="A store (O2O) selling through the platform, which takes a commission.")
    points_take_rate = fields.Float(
        string="Platform Take Rate", digits=(5, 4),
        help="Share of the store's turnover the platform keeps; basis of plan buckets on commission.")

    @api.constrains("points_take_rate")
    def _check_points_take_rate(self):
        for partner in self:
            if not 0 <= partner.points_take_rate <= 1:
                raise ValidationError(_("The take rate is a share between 0 and 1."))
