from odoo import _, api, fields, models
from odoo.exceptions import UserError


class PointsTerritory(models.Model):
    """An area sold to one agent at a time at one agent level (卖地图): a district, a city, a street…"""

    _name = "points.territory"
    _inherit = ["points.agent.area", "mail.thread"]
    _description = "Agent Territory"
    _order = "company_id, name, id"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    active = fields.Boolean(default=True, tracking=True)
    agent_ids = fields.One2many("points.agent", "territory_id", string="Agencies", readonly=True,
                                context={"active_test": False})
    agent_id = fields.Many2one("points.agent", compute="_compute_agent", string="Current Agency")
    agent_partner_id = fields.Many2one("res.partner", compute="_compute_agent", string="Agent")
    date_end = fields.Date(compute="_compute_agent", string="Agency Ends")

    def _area_owner_name(self):
        return self.name

    @api.depends("agent_ids.active", "agent_ids.date_end", "agent_ids.partner_id")
    def _compute_agent(self):
        for territory in self:
            agent = territory._current_agent()
            territory.agent_id = agent
            territory.agent_partner_id = agent.partner_id
            territory.date_end = agent.date_end

    def _current_agent(self):
        """The active agency of the territory (at most one), or an empty recordset."""
        self.ensure_one()
        return self.env["points.agent"].sudo().search([("territory_id", "=", self.id)], limit=1)

    def _check_available(self, partner):
        """Raises unless ``partner`` may buy the territory: it is vacant, or ``partner`` holds it (a renewal)."""
        for territory in self:
            agent = territory._current_agent()
            if agent and agent.partner_id != partner.commercial_partner_id:
                raise UserError(_(
                    "The territory %(territory)s already has its %(level)s, %(agent)s, until %(end)s: it cannot be "
                    "sold to %(buyer)s.", territory=territory.name, level=territory.level_id.name,
                    agent=agent.partner_id.name, end=agent.date_end or _("further notice"), buyer=partner.name))

    def _agent_values(self):
        """The values of an agency of the territory (its area and level)."""
        self.ensure_one()
        return {"territory_id": self.id, "company_id": self.company_id.id, "level_id": self.level_id.id,
                "country_id": self.country_id.id, "state_id": self.state_id.id, "city": self.city,
                "zip_prefix": self.zip_prefix, "street_list": self.street_list}
