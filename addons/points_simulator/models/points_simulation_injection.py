from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PointsSimulationInjection(models.Model):
    """Money the scenario injects into the pool at the start of a simulated day."""

    _name = "points.simulation.injection"
    _inherit = ["points.simulation.line"]
    _description = "Simulated Pool Injection"
    _order = "day, id"

    day = fields.Integer(required=True, default=1, help="Simulated day (1 is the first) the money enters the pool.")
    amount = fields.Monetary(required=True)
    memo = fields.Char()

    @api.constrains("day", "amount")
    def _check_day_and_amount(self):
        for injection in self:
            if injection.amount <= 0:
                raise ValidationError(_("An injection must be positive."))
            if not 1 <= injection.day <= injection.simulation_id.days:
                raise ValidationError(_("Injections fall on one of the %s simulated days.",
                                        injection.simulation_id.days))
