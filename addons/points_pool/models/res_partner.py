from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    points_wallet_ids = fields.One2many("points.wallet", "partner_id", string="Points Wallets")
    points_wallet_count = fields.Integer(compute="_compute_points_wallet_count", groups="points_pool.group_points_user")

    def _compute_points_wallet_count(self):
        counts = dict(self.env["points.wallet"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.points_wallet_count = counts.get(partner, 0)

    def action_open_points_wallets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_pool.points_wallet_action")
        action["domain"] = [("partner_id", "=", self.id)]
        return action
