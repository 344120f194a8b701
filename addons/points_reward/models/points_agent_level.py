import re

from odoo import api, fields, models

MATCH_SELECTION = [
    ("area", "Any area set on the assignment"),
    ("country", "Country"),
    ("state", "State / province"),
    ("city", "City"),
    ("zip", "ZIP prefix"),
    ("streets", "A list of streets or towns"),
]
#: The assignment field each way of matching asks for.
MATCH_FIELDS = {"country": "country_id", "state": "state_id", "city": "city", "zip": "zip_prefix",
                "streets": "street_list"}


class PointsAgentLevel(models.Model):
    """A level of regional agents (街代/区代/市代/省代/大区), ordered from the buyer's street outwards."""

    _name = "points.agent.level"
    _description = "Regional Agent Level"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10, tracking=True,
                              help="Levels are paid in this order: the lowest is the closest to the buyer, each "
                                   "level above earns its rate less what the levels below it were paid.")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", index=True, tracking=True,
                                 help="Empty: a level of every company.")
    match_by = fields.Selection(
        MATCH_SELECTION, string="Matches By", default="area", required=True, tracking=True,
        help="What an agent of this level is assigned and a delivery address must match: a country, a state, a "
             "city, a ZIP prefix, a list of streets or towns, or any of the first four the assignment sets.")
    agent_count = fields.Integer(compute="_compute_agent_count", string="Agents")

    def _compute_agent_count(self):
        counts = dict(self.env["points.agent"]._read_group([("level_id", "in", self.ids)], ["level_id"], ["__count"]))
        for level in self:
            level.agent_count = counts.get(level, 0)

    @api.constrains("company_id", "match_by")
    def _check_agents(self):
        agents = self.env["points.agent"].with_context(active_test=False).search([("level_id", "in", self.ids)])
        agents._check_level()
        agents._check_area()

    def action_open_agents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_reward.points_agent_action")
        action["domain"] = [("level_id", "=", self.id)]
        action["context"] = {"default_level_id": self.id}
        return action

    @api.model
    def _for_company(self, company):
        """The active levels of ``company``, from the closest to the buyer to the widest."""
        return self.sudo().search([("company_id", "in", [company.id, False])])

    @staticmethod
    def _split_places(text):
        """The streets or towns of a list written one a line or separated by commas (also ，、;)."""
        return [place for place in (_normalize(part) for part in re.split(r"[\n,，、;；]", text or "")) if place]


def _normalize(text):
    """Case and spaces do not tell places apart: ``" Wensan  Road"`` matches ``"wensanroad"``."""
    return "".join((text or "").split()).casefold()
