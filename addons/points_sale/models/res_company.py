from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    points_sale_trigger = fields.Selection(
        [("confirm", "On order confirmation"), ("posted", "On invoice posting"), ("paid", "When the invoice is paid")],
        string="Sales Contribute", default="paid", required=True,
        help="When a sales order line contributes to the profit pool and mints points for the customer.")
