from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .points_agent_level import MATCH_FIELDS, _normalize


class PointsAgentArea(models.AbstractModel):
    """The delivery addresses an agent level's assignment covers: a country, a state, a city, a ZIP prefix
    and/or a list of streets or towns, with the level that says which of them it must set."""

    _name = "points.agent.area"
    _description = "Regional Agent Area"

    country_id = fields.Many2one("res.country")
    state_id = fields.Many2one("res.country.state", string="State / Province",
                               domain="[('country_id', '=?', country_id)]")
    city = fields.Char()
    zip_prefix = fields.Char("ZIP Prefix", help="Covers delivery addresses whose ZIP code starts with this.")
    street_list = fields.Text(
        "Streets or Towns",
        help="One a line (or separated by commas): covers delivery addresses whose street, second street line or "
             "city names one of them.")
    level_id = fields.Many2one("points.agent.level", string="Level", required=True, index=True, ondelete="restrict",
                               domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]")
    match_by = fields.Selection(related="level_id.match_by")

    @api.constrains("level_id", "country_id", "state_id", "city", "zip_prefix", "street_list")
    def _check_area(self):
        labels = {name: self._fields[name]._description_string(self.env) for name in MATCH_FIELDS.values()}
        for agent in self:
            required = MATCH_FIELDS.get(agent.level_id.match_by)
            if required and not (agent[required] if required != "street_list" else agent._places()):
                raise ValidationError(_("%(agent)s is a %(level)s: say its %(field)s.",
                                        agent=agent._area_owner_name(), level=agent.level_id.name,
                                        field=labels[required]))
            if not (agent.country_id or agent.state_id or agent.city or agent.zip_prefix or agent._places()):
                raise ValidationError(_("Say which area %s covers: a country, a state, a city or a ZIP prefix.",
                                        agent._area_owner_name()))
            if agent.state_id and agent.country_id and agent.state_id.country_id != agent.country_id:
                raise ValidationError(_("The state %s is not in the chosen country.", agent.state_id.name))

    def _area_owner_name(self):
        """Who or what the area is of, for error messages."""
        self.ensure_one()
        return self.display_name

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
