from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    points_plan_id = fields.Many2one(
        "points.allocation.plan", string="Allocation Plan", company_dependent=True,
        help="Splits this product's sales into pool, rewards, platform and cost. Empty: the category's plan.")


class ProductCategory(models.Model):
    _inherit = "product.category"

    points_plan_id = fields.Many2one(
        "points.allocation.plan", string="Allocation Plan", company_dependent=True,
        help="Plan of the category's products that have none. Empty: the parent category's, then the company's.")
    points_mint_ratio = fields.Float(
        "Mint Ratio", digits=(5, 4), company_dependent=True,
        help="Share of the contribution of this category's products minted as points for the buyer. Empty: the "
             "parent category's, then the pool's. A store's own ratio comes first.")

    @api.constrains("points_mint_ratio")
    def _check_points_mint_ratio(self):
        for category in self:
            if not 0 <= category.points_mint_ratio < 1:
                raise ValidationError(_("A mint ratio is above 0 and below 1 (100%); 0 means the parent's."))
