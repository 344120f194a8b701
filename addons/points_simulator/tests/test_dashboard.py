from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import SimulatorCase


@tagged("post_install", "-at_install")
class TestDashboard(SimulatorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "UTC"
        cls.pool.exit_multiple = 1.2
        with freeze_time("2026-05-01 02:00:00"):
            for n, member in enumerate(cls.members[:3], start=1):
                cls.pool.contribute(member, 1000, 300, source=cls.env["res.partner.category"].create(
                    {"name": f"Order {n}"}))
        with freeze_time("2026-05-02 03:00:00"):
            cls.injection = cls.pool.inject(2000, "Subsidy")
            cls.pool.sell(cls.member2, 10)
            cls.pool.contribute(cls.member4, 1000, 300, source=cls.env["res.partner.category"].create({"name": "O4"}))

    def days(self):
        self.env.invalidate_all()
        return self.env["points.pool.day"].search([("pool_id", "=", self.pool.id)], order="date")

    def test_daily_contributions_sales_exits_and_injections(self):
        first, second = self.days()
        self.assertEqual((first.date, second.date), (date(2026, 5, 1), date(2026, 5, 2)))
        self.assertEqual((first.contribution_count, first.contributions, first.spend, first.points_minted),
                         (3, 900.0, 3000.0, 481.95))
        self.assertEqual((first.price, first.balance, first.circulating_points), (1.867414, 900.0, 481.95))
        self.assertEqual((first.exit_count, first.sell_count, first.injections), (0, 0, 0.0))
        exit_row = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "exit")])
        self.assertEqual((second.exit_count, second.exit_payouts), (1, 1010.89))
        self.assertEqual(exit_row.amount, 1010.89)
        self.assertEqual((second.injections, second.sell_count, second.contribution_count), (2000.0, 1, 1))
        self.assertEqual(second.event_count, 4)
        # Closing figures are the pool's own after its last event of the day.
        self.assertEqual((second.price, second.balance, second.circulating_points),
                         (self.pool.price, self.pool.balance, self.pool.circulating_points))
        # The day's pool movements add up to the change of the pool balance.
        self.assertAlmostEqual(first.pool_movement + second.pool_movement, self.pool.balance, places=2)
        self.assertAlmostEqual(second.pool_movement, second.contributions + second.injections
                               - second.sell_payouts - second.exit_payouts, places=2)

    def test_days_are_those_of_the_companys_time_zone(self):
        self.company.partner_id.tz = "America/New_York"
        first, second = self.days()
        self.assertEqual((first.date, second.date), (date(2026, 4, 30), date(2026, 5, 1)))
        self.assertEqual((first.contribution_count, second.contribution_count), (3, 1))

    def test_grouped_by_month_for_the_graph_and_pivot(self):
        [(month, contributions, price, count)] = self.env["points.pool.day"]._read_group(
            [("pool_id", "=", self.pool.id)], ["date:month"], ["contributions:sum", "price:max", "exit_count:sum"])
        self.assertEqual((contributions, price, count), (1200.0, self.pool.price, 1))
        for xmlid in ("points_simulator.points_pool_day_action", "points_simulator.points_pool_day_action_flows"):
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            self.assertTrue(action["view_mode"].startswith("graph"))
        views = self.env["points.pool.day"].get_views([(False, "graph"), (False, "pivot"), (False, "list")])
        self.assertEqual(set(views["views"]), {"graph", "pivot", "list"})
