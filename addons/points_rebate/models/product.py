from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    points_rebate_lock_days = fields.Integer(
        "Rebate Lock Period", company_dependent=True,
        help="Days a queued rebate of this product stays locked (e.g. 15, 30 or 45). 0: the allocation plan's, "
             "then the company's default.")
    points_rebate_extra_days = fields.Integer(
        "Rebate Extra Days (N)", company_dependent=True,
        help='The "N" of a "15+N" lock period: days added to the base lock period for this product.')
