from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .points_role_grant import ROLE_SELECTION


class ProductTemplate(models.Model):
    _inherit = "product.template"

    points_role = fields.Selection(
        ROLE_SELECTION, string="Grants Role",
        help="Paying an order line of this product grants the buyer this role; refunding it revokes it.")
    points_role_level_id = fields.Many2one(
        "points.agent.level", string="Agent Level", help="The level of the territories this agency is sold for.")
    points_role_territory_id = fields.Many2one(
        "points.territory", string="Fixed Territory",
        help="Sells this territory; empty: the territory is chosen on each order line.")
    points_role_rank_id = fields.Many2one(
        "points.rank", string="Rank",
        help="The rank the buyer reaches (never a lower one); a refund gives back the previous rank.")
    points_role_term_months = fields.Integer(
        "Term (months)", default=12, help="How long an agency runs per unit sold; buying again extends it.")

    @api.constrains("points_role", "points_role_term_months", "points_role_territory_id", "points_role_level_id",
                    "points_role_rank_id")
    def _check_points_role(self):
        for product in self.filtered(lambda p: p.points_role == "rank" and not p.points_role_rank_id):
            raise ValidationError(_("Say which rank %s grants.", product.name))
        for product in self.filtered(lambda p: p.points_role == "agent"):
            if product.points_role_term_months <= 0:
                raise ValidationError(_("An agency runs for at least one month (%s).", product.name))
            territory = product.points_role_territory_id
            if territory and product.points_role_level_id and territory.level_id != product.points_role_level_id:
                raise ValidationError(_("The territory %(territory)s is not of the level %(level)s.",
                                        territory=territory.name, level=product.points_role_level_id.name))


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _points_role_territory(self, line):
        """The territory an order ``line`` of this agency product sells: the product's, else the line's."""
        self.ensure_one()
        return self.points_role_territory_id or line.points_territory_id

    def _points_check_role_sale(self, line, buyer, company):
        """Raises a UserError unless ``line`` may sell this role product to ``buyer`` (at order confirmation)."""
        self.ensure_one()
        if self.points_role != "agent":
            return
        territory = self._points_role_territory(line)
        if not territory:
            raise UserError(_("Choose the territory of %s on its order line.", self.display_name))
        if territory.company_id != company:
            raise UserError(_("The territory %s belongs to another company.", territory.name))
        if self.points_role_level_id and territory.level_id != self.points_role_level_id:
            raise UserError(_("%(product)s sells %(level)s territories, not %(territory)s.", product=self.display_name,
                              level=self.points_role_level_id.name, territory=territory.name))
        territory._check_available(buyer)
