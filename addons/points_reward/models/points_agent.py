from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .points_agent_level import MATCH_FIELDS, _normalize


class PointsAgent(models.Model):
    """A regional agent (街代/区代/市代/省代/大区) at one level and the delivery addresses it covers."""

    _name = "points.agent"
    _description = "Regional Agent Assignment"
    _order = "company_id, level_sequence, country_id, state_id, city, zip_prefix, id"

    partner_id = fields.Many2one("res.partner", string="Agent", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    level_id = fields.Many2one("points.agent.level", string="Level", required=True, index=True, ondelete="restrict",
                               domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]")
    level_sequence = fields.Integer(related="level_id.sequence", store=True)
    match_by = fields.Selection(related="level_id.match_by")
    country_id = fields.Many2one("res.country")
    state_id = fields.Many2one("res.country.state", string="State / Province",
                               domain="[('country_id', '=?', country_id)]")
    city = fields.Char()
    zip_prefix = fields.Char("ZIP Prefix", help="Covers delivery addresses whose ZIP code starts with this.")
    street_list = fields.Text(
        "Streets or Towns",
        help="One a line (or separated by commas): covers delivery addresses whose street, second street line or "
             "city names one of them.")
    active = fields.Boolean(default=True)
    note = fields.Char()

    @api.depends("partner_id", "level_id")
    def _compute_display_name(self):
        for agent in self:
            agent.display_name = f"{agent.partner_id.display_name or ''} ({agent.level_id.name or ''})"

    @api.constrains("partner_id", "level_id", "country_id", "state_id", "city", "zip_prefix", "street_list")
    def _check_area(self):
        labels = {name: self._fields[name]._description_string(self.env) for name in MATCH_FIELDS.values()}
        for agent in self:
            required = MATCH_FIELDS.get(agent.level_id.match_by)
            if required and not (agent[required] if required != "street_list" else agent._places()):
                raise ValidationError(_("%(agent)s is a %(level)s: say its %(field)s.",
                                        agent=agent.partner_id.display_name, level=agent.level_id.name,
                                        field=labels[required]))
            if not (agent.country_id or agent.state_id or agent.city or agent.zip_prefix or agent._places()):
                raise ValidationError(_("Say which area %s covers: a country, a state, a city or a ZIP prefix.",
                                        agent.partner_id.display_name))
            if agent.state_id and agent.country_id and agent.state_id.country_id != agent.country_id:
                raise ValidationError(_("The state %s is not in the chosen country.", agent.state_id.name))

    @api.constrains("company_id", "level_id")
    def _check_level(self):
        for agent in self:
            if agent.level_id.company_id and agent.level_id.company_id != agent.company_id:
                raise ValidationError(_("The level %(level)s belongs to %(company)s, not to the agent's company.",
                                        level=agent.level_id.name, company=agent.level_id.company_id.name))

    @api.onchange("state_id")
    def _onchange_state_id(self):
        if self.state_id:
            self.country_id = self.state_id.country_id

    def _places(self):
        return self.env["points.agent.level"]._split_places(self.street_list)

    def _covers(self, address):
        self.ensure_one()
        zip_code = "".join((address.zip or "").split()).upper()
        places = self._places()
        where = _normalize(" ".join(filter(None, (address.street, address.street2, address.city))))
        return ((not self.country_id or self.country_id == address.country_id)
                and (not self.state_id or self.state_id == address.state_id)
                and (not self.city or self.city.strip().casefold() == (address.city or "").strip().casefold())
                and (not self.zip_prefix or zip_code.startswith("".join(self.zip_prefix.split()).upper()))
                and (not places or any(place in where for place in places)))

    def _precision(self):
        """The most precise assignment wins at a level: streets, ZIP prefix length, then city, state, country."""
        return (bool(self.street_list), len(self.zip_prefix or ""), bool(self.city), bool(self.state_id),
                bool(self.country_id), -self.id)

    @api.model
    def _agents_for(self, address, company):
        """{agent level: agent partner} for a delivery ``address`` in ``company``."""
        if not address:
            return {}
        candidates = self.sudo().search([("company_id", "=", company.id), ("level_id.active", "=", True),
                                         ("country_id", "in", [address.country_id.id, False])])
        best = {}
        for agent in candidates.filtered(lambda a: a._covers(address)):
            if agent.level_id not in best or agent._precision() > best[agent.level_id]._precision():
                best[agent.level_id] = agent
        return {level: agent.partner_id for level, agent in best.items()}
