from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .points_reward_rule import AGENT_LEVEL_SELECTION


class PointsAgent(models.Model):
    """A regional agent (区代/市代/省代/大区) and the delivery addresses it covers."""

    _name = "points.agent"
    _description = "Regional Agent Assignment"
    _order = "company_id, level, country_id, state_id, city, zip_prefix, id"

    partner_id = fields.Many2one("res.partner", string="Agent", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    level = fields.Selection(AGENT_LEVEL_SELECTION, required=True)
    country_id = fields.Many2one("res.country")
    state_id = fields.Many2one("res.country.state", string="State / Province",
                               domain="[('country_id', '=?', country_id)]")
    city = fields.Char()
    zip_prefix = fields.Char("ZIP Prefix", help="Covers delivery addresses whose ZIP code starts with this.")
    active = fields.Boolean(default=True)
    note = fields.Char()

    @api.depends("partner_id", "level")
    def _compute_display_name(self):
        labels = dict(AGENT_LEVEL_SELECTION)
        for agent in self:
            agent.display_name = f"{agent.partner_id.display_name or ''} ({labels.get(agent.level, '')})"

    @api.constrains("partner_id", "level", "country_id", "state_id", "city", "zip_prefix")
    def _check_area(self):
        for agent in self:
            if not (agent.country_id or agent.state_id or agent.city or agent.zip_prefix):
                raise ValidationError(_("Say which area %s covers: a country, a state, a city or a ZIP prefix.",
                                        agent.partner_id.display_name))
            if agent.state_id and agent.country_id and agent.state_id.country_id != agent.country_id:
                raise ValidationError(_("The state %s is not in the chosen country.", agent.state_id.name))

    @api.onchange("state_id")
    def _onchange_state_id(self):
        if self.state_id:
            self.country_id = self.state_id.country_id

    def _covers(self, address):
        self.ensure_one()
        zip_code = "".join((address.zip or "").split()).upper()
        return ((not self.country_id or self.country_id == address.country_id)
                and (not self.state_id or self.state_id == address.state_id)
                and (not self.city or self.city.strip().casefold() == (address.city or "").strip().casefold())
                and (not self.zip_prefix or zip_code.startswith("".join(self.zip_prefix.split()).upper())))

    def _precision(self):
        """The most precise assignment wins at a level: ZIP prefix length, then city, state, country."""
        return (len(self.zip_prefix or ""), bool(self.city), bool(self.state_id), bool(self.country_id), -self.id)

    @api.model
    def _agents_for(self, address, company):
        """{agent level: agent partner} for a delivery ``address`` in ``company``."""
        if not address:
            return {}
        candidates = self.sudo().search([("company_id", "=", company.id),
                                         ("country_id", "in", [address.country_id.id, False])])
        best = {}
        for agent in candidates.filtered(lambda a: a._covers(address)):
            if agent.level not in best or agent._precision() > best[agent.level]._precision():
                best[agent.level] = agent
        return {level: agent.partner_id for level, agent in best.items()}
