from datetime import timedelta

from odoo import fields, models


class PointsSimulationDay(models.Model):
    """One simulated day: what came in, what went out, and the pool at the end of the day."""

    _name = "points.simulation.day"
    _inherit = ["points.simulation.line"]
    _description = "Simulated Day"
    _order = "simulation_id desc, day"
    _rec_name = "date"

    day = fields.Integer(readonly=True, aggregator=False)
    date = fields.Date(readonly=True)
    orders = fields.Integer(readonly=True)
    new_members = fields.Integer(readonly=True)
    reentries = fields.Integer("Re-entries", readonly=True)
    spend = fields.Monetary(readonly=True)
    contributed = fields.Monetary(readonly=True)
    minted_points = fields.Float(digits=(16, 4), readonly=True)
    injected = fields.Monetary(readonly=True)
    sells = fields.Integer("Sales", readonly=True)
    sold_points = fields.Float(digits=(16, 4), readonly=True)
    sell_payouts = fields.Monetary(readonly=True)
    exits = fields.Integer("Forced Exits", readonly=True)
    exit_points = fields.Float("Points of Forced Exits", digits=(16, 4), readonly=True)
    exit_payouts = fields.Monetary("Forced-Exit Payouts", readonly=True)
    payouts = fields.Monetary(readonly=True, help="Sales and forced-exit payouts.")
    # End-of-day figures: the price never falls, so its maximum over a period is the period's closing price.
    price = fields.Float(digits=(16, 6), readonly=True, aggregator="max")
    balance = fields.Monetary("Pool Balance", readonly=True, aggregator="avg",
                              help="At the end of the day (the average over longer periods).")
    circulating_points = fields.Float(digits=(16, 4), readonly=True, aggregator="avg",
                                      help="At the end of the day (the average over longer periods).")
    holders = fields.Integer("Members Holding Points", readonly=True, aggregator="avg")

    def _values_from_result(self, simulation, day):
        """Create values of the row of an engine :class:`~points_engine.simulation.DayResult`."""
        return {
            "simulation_id": simulation.id, "day": day.day,
            "date": simulation.start_date + timedelta(days=day.day - 1),
            "orders": day.orders, "new_members": day.new_members, "reentries": day.reentries,
            "spend": float(day.spend), "contributed": float(day.contributed), "minted_points": float(day.minted),
            "injected": float(day.injected), "sells": day.sells, "sold_points": float(day.sold_points),
            "sell_payouts": float(day.sell_payouts), "exits": day.exits, "exit_points": float(day.exit_points),
            "exit_payouts": float(day.exit_payouts), "payouts": float(day.payouts), "price": float(day.price),
            "balance": float(day.balance), "circulating_points": float(day.points), "holders": day.holders,
        }
