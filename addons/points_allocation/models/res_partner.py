from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    points_is_merchant = fields.Boolean(
        string="Points Merchant", help="A store (O2O) selling through the platform, which takes a commission.")
    points_take_rate = fields.Float(
        string="Platform Take Rate", digits=(5, 4),
        help="Share of the store's turnover the platform keeps; basis of plan buckets on commission.")
    points_mint_ratio = fields.Float(
        string="Store Mint Ratio", digits=(5, 4),
        help="Share of the contribution of this store's orders minted as points for the buyer; it comes before "
             "the product category's and the pool's. 0: the category's, then the pool's.")
    # Indexed: the POS loads the service points with its customers, among any number of members.
    points_is_service_point = fields.Boolean(
        string="Service Point", index=True,
        help="A pickup point: orders can name it, and its users verify the pickups (and earn its fee).")
    points_service_user_ids = fields.Many2many(
        "res.users", "points_service_point_user_rel", "partner_id", "user_id", string="Service Point Users",
        help="Users who verify pickups at this service point, besides the cashiers of its points of sale and "
             "the Points Managers.")

    @api.constrains("points_take_rate")
    def _check_points_take_rate(self):
        for partner in self:
            if not 0 <= partner.points_take_rate <= 1:
                raise ValidationError(_("The take rate is a share between 0 and 1."))

    @api.constrains("points_mint_ratio")
    def _check_points_mint_ratio(self):
        for partner in self:
            if not 0 <= partner.points_mint_ratio < 1:
                raise ValidationError(_("A store's mint ratio is above 0 and below 1 (100%); 0 means the "
                                        "category's or the pool's."))

    # -- service points ------------------------------------------------------------------------
    def _points_check_pickup_verifier(self):
        """Refuses (AccessError) a user who is neither a user of this service point nor a Points Manager."""
        self.ensure_one()
        user = self.env.user
        if self.env.su or user.has_group("points_pool.group_points_manager") or self._points_is_pickup_user(user):
            return
        raise AccessError(_(
            "%(user)s cannot verify pickups at %(point)s: only the users of the service point (Points → Service "
            "Points) and Points Managers can.", user=user.name, point=self.sudo().display_name))

    def _points_is_pickup_user(self, user):
        """Whether ``user`` works at this service point; channels add their own staff (a POS's cashiers)."""
        self.ensure_one()
        return user in self.sudo().points_service_user_ids
