from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PointsAgent(models.Model):
    """A regional agent (街代/区代/市代/省代/大区) at one level and the delivery addresses it covers."""

    _name = "points.agent"
    _inherit = ["points.agent.area"]
    _description = "Regional Agent Assignment"
    _order = "company_id, level_sequence, country_id, state_id, city, zip_prefix, id"

    partner_id = fields.Many2one("res.partner", string="Agent", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    level_sequence = fields.Integer(related="level_id.sequence", store=True)
    active = fields.Boolean(default=True)
    note = fields.Char()

    @api.depends("partner_id", "level_id")
    def _compute_display_name(self):
        for agent in self:
            agent.display_name = f"{agent.partner_id.display_name or ''} ({agent.level_id.name or ''})"

    def _area_owner_name(self):
        return self.partner_id.display_name

    @api.constrains("company_id", "level_id")
    def _check_level(self):
        for agent in self:
            if agent.level_id.company_id and agent.level_id.company_id != agent.company_id:
                raise ValidationError(_("The level %(level)s belongs to %(company)s, not to the agent's company.",
                                        level=agent.level_id.name, company=agent.level_id.company_id.name))

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
