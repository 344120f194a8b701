from odoo import _, fields, models

from odoo.addons.points_engine.simulation import STARTING_COHORT


class PointsSimulationCohort(models.Model):
    """Money in and out of the members who joined in one period of a simulation.

    A positive net means the cohort got more than it put in: later cohorts (or
    injections) paid for it.
    """

    _name = "points.simulation.cohort"
    _inherit = ["points.simulation.line"]
    _description = "Simulated Joining Cohort"
    _order = "simulation_id desc, index"

    index = fields.Integer("Cohort", readonly=True, aggregator=False,
                           help="0: members of the live pool the simulation started from.")
    name = fields.Char(readonly=True)
    first_day = fields.Integer(readonly=True, aggregator=False)
    last_day = fields.Integer(readonly=True, aggregator=False)
    members = fields.Integer(readonly=True)
    orders = fields.Integer(readonly=True)
    reentries = fields.Integer("Re-entries", readonly=True)
    exits = fields.Integer("Forced Exits", readonly=True)
    spend = fields.Monetary(readonly=True)
    contributed = fields.Monetary("Money In", readonly=True, help="What the cohort's orders put into the pool.")
    paid_out = fields.Monetary("Money Out", readonly=True, help="Sales and forced-exit payouts to the cohort.")
    held_points = fields.Float("Points Still Held", digits=(16, 4), readonly=True)
    held_value = fields.Monetary("Value Still Held", readonly=True, help="Points still held, at the final price.")
    cash_net = fields.Monetary("Realized Net", readonly=True, help="Money out less money in.")
    net = fields.Monetary(readonly=True, help="Money out plus value still held, less money in.")
    out_in_ratio = fields.Float("Out ÷ In", digits=(16, 4), readonly=True, aggregator=False,
                                help="Money out plus value still held, divided by money in.")
    paid_by_later = fields.Boolean("Paid by Later Cohorts", readonly=True,
                                   help="The cohort got more than it put in.")

    def _values_from_result(self, simulation, cohort, count):
        """Create values of the row of an engine :class:`~points_engine.simulation.CohortResult`."""
        got = cohort.paid_out + cohort.held_value
        return {
            "simulation_id": simulation.id, "index": cohort.index,
            "name": self._label(cohort.index, cohort.first_day, cohort.last_day, count),
            "first_day": cohort.first_day, "last_day": cohort.last_day, "members": cohort.members,
            "orders": cohort.orders, "reentries": cohort.reentries, "exits": cohort.exits,
            "spend": float(cohort.spend), "contributed": float(cohort.contributed),
            "paid_out": float(cohort.paid_out), "held_points": float(cohort.held_points),
            "held_value": float(cohort.held_value), "cash_net": float(cohort.cash_net), "net": float(cohort.net),
            "out_in_ratio": float(got / cohort.contributed) if cohort.contributed else 0.0,
            "paid_by_later": cohort.net > 0,
        }

    def _label(self, index, first_day, last_day, count):
        """Zero-padded so that names sort in cohort order in charts and pivots."""
        number = str(index).zfill(len(str(count)))
        if index == STARTING_COHORT:
            return _("Cohort %(number)s: members of the live pool", number=number)
        return _("Cohort %(number)s: days %(first)s–%(last)s", number=number, first=first_day, last=last_day)
