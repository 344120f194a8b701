from odoo import api, fields, models
from odoo.osv import expression

from odoo.addons.points_engine.rounding import money_half_up, to_decimal


class ResPartner(models.Model):
    _inherit = "res.partner"

    points_service_config_ids = fields.One2many(
        "pos.config", "points_service_point_id", string="Points of Sale of the Service Point",
        help="Points of sale at this service point: the cashiers of their open sessions verify its pickups.")
    points_pos_balance = fields.Float(
        compute="_compute_points_pos_balance", digits=(16, 4), string="Points Held",
        help="Appreciating points the customer holds in the current company.")
    points_pos_value = fields.Float(
        compute="_compute_points_pos_balance", digits=(16, 2), string="Points Value",
        help="The points held at today's price.")

    @api.depends_context("company")
    def _compute_points_pos_balance(self):
        pool = self.env.company.sudo().points_pool_id
        members = self.commercial_partner_id.filtered("id")
        wallets = self.env["points.wallet"].sudo().search(
            [("pool_id", "=", pool.id), ("partner_id", "in", members.ids)]) if pool and members else []
        points_by_member = {wallet.partner_id: wallet.points for wallet in wallets}
        engine = pool._engine() if pool else None
        for partner in self:
            points = points_by_member.get(partner.commercial_partner_id, 0.0)
            partner.points_pos_balance = points
            partner.points_pos_value = float(money_half_up(engine.value_of(to_decimal(points)))) if points else 0.0

    def _points_is_pickup_user(self, user):
        # The cashier running an open session of one of the service point's POS.
        return super()._points_is_pickup_user(user) or bool(self.env["pos.session"].sudo().search_count([
            ("config_id.points_service_point_id", "=", self.id), ("state", "in", ("opened", "closing_control")),
            ("user_id", "=", user.id)], limit=1))

    # -- point of sale data ------------------------------------------------------------
    @api.model
    def _load_pos_data_domain(self, data):
        # Service points are offered as pickup points even when the POS loads a limited set of customers.
        return expression.OR([super()._load_pos_data_domain(data), [("points_is_service_point", "=", True)]])

    @api.model
    def _load_pos_data_fields(self, config_id):
        return super()._load_pos_data_fields(config_id) + [
            "points_is_service_point", "points_pos_balance", "points_pos_value"]
