from odoo import fields, models


class PointsSimulationLine(models.AbstractModel):
    """What every row of a simulation has: its simulation, and the company and currency that come with it."""

    _name = "points.simulation.line"
    _description = "Simulation Row"

    simulation_id = fields.Many2one("points.simulation", required=True, readonly=True, index=True,
                                    ondelete="cascade")
    company_id = fields.Many2one(related="simulation_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="simulation_id.currency_id")
