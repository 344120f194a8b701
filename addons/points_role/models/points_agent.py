from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PointsAgent(models.Model):
    """An agency sold with a territory runs for a term; renewals extend it."""

    _inherit = "points.agent"

    territory_id = fields.Many2one("points.territory", index="btree_not_null", ondelete="restrict", readonly=True)
    date_start = fields.Date("Agency Starts", readonly=True)
    date_end = fields.Date("Agency Ends", readonly=True, index="btree_not_null",
                           help="The agency is deactivated on this day unless renewed.")
    grant_ids = fields.One2many("points.role.grant", "agent_id", string="Purchases", readonly=True)

    @api.constrains("territory_id", "active")
    def _check_one_agent_per_territory(self):
        for agent in self.filtered(lambda a: a.territory_id and a.active):
            if self.search_count([("territory_id", "=", agent.territory_id.id), ("id", "!=", agent.id)]):
                raise ValidationError(_("The territory %s has one agent at a time.", agent.territory_id.name))
