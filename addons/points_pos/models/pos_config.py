from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class PosConfig(models.Model):
    _inherit = "pos.config"

    points_merchant_id = fields.Many2one(
        "res.partner", string="Store", domain=[("points_is_merchant", "=", True)], index="btree_not_null",
        help="Store (O2O merchant) this point of sale belongs to: its recruiter earns the merchant rewards on the "
             "POS turnover, and its take rate is the basis of commission buckets. Empty for the platform's own shops.")
    points_take_rate = fields.Float(
        string="Platform Take Rate", digits=(5, 4),
        compute="_compute_points_take_rate", store=True, readonly=False, precompute=True,
        help="For a store (O2O) selling through the platform: share of its turnover the platform keeps, "
             "basis of allocation-plan buckets on commission; the store's take rate when a store is set. "
             "0 for the platform's own shops.")
    points_service_point_id = fields.Many2one(
        "res.partner", string="Service Point", domain=[("points_is_service_point", "=", True)],
        index="btree_not_null",
        help="Service point this point of sale serves: the cashiers of its open sessions verify the pickups there.")
    points_price = fields.Float(
        compute="_compute_points_price", digits=(16, 6), string="Point Price",
        help="Price of the company's points when the POS loaded; the POS asks the server again for each customer.")

    @api.depends("points_merchant_id.points_take_rate")
    def _compute_points_take_rate(self):
        for config in self:
            if config.points_merchant_id:
                config.points_take_rate = config.points_merchant_id.points_take_rate
            elif not config.points_take_rate:
                config.points_take_rate = 0.0

    @api.depends_context("company")
    def _compute_points_price(self):
        for config in self:
            pool = config.company_id.sudo().points_pool_id
            config.points_price = pool.price if pool else 0.0

    @api.constrains("points_take_rate", "points_merchant_id")
    def _check_points_take_rate(self):
        for config in self:
            if not 0 <= config.points_take_rate <= 1:
                raise ValidationError(_("The take rate is a share between 0 and 1."))
            merchant = config.points_merchant_id
            if merchant and float_compare(config.points_take_rate, merchant.points_take_rate, precision_digits=4):
                raise ValidationError(_("The take rate of %(config)s is the one of its store %(store)s.",
                                        config=config.name, store=merchant.display_name))
