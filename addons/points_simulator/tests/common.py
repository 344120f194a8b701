from odoo.addons.points_pool.tests.common import PointsCase


class SimulatorCase(PointsCase):
    """PointsCase with helpers for simulations and reports."""

    @classmethod
    def simulation(cls, **values):
        """A simulation of the test company: SPEC §3.4 orders (1000.00 contributing 300.00), one a day, no sells."""
        defaults = {
            "name": "Test scenario", "company_id": cls.company.id, "orders_per_day": 1, "days": 10,
            "order_size": 1000, "size_distribution": "fixed", "contribution_rate": 0.30, "exit_multiple": 0,
            "seller_share": 0, "reentry_share": 0,
        }
        return cls.env["points.simulation"].create(dict(defaults, **values))
