from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    chain_member_ids = fields.One2many("points.chain.member", "partner_id", string="Chain Identities",
                                       readonly=True)
