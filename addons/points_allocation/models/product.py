from odoo import fields, models


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
