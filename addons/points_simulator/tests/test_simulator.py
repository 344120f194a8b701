from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SimulatorCase


@tagged("post_install", "-at_install")
class TestSimulator(SimulatorCase):
    def test_growth_law_of_spec_3_4(self):
        """Equal orders, no sells: the price reaches 2.00 after 4 orders, 4.76 after 76 and 14.29 after 2,968."""
        simulation = self.simulation(days=2968, cohort_days=365)
        simulation.action_run()
        days = simulation.day_ids.sorted("day")

        def first_day(price):
            return next(day.day for day in days if day.price >= price)

        self.assertEqual((first_day(2.0), first_day(4.76), first_day(14.29)), (4, 76, 2968))
        self.assertEqual(days[:4].mapped("balance"), [300.0, 600.0, 900.0, 1200.0])
        self.assertEqual(days[:4].mapped("price"), [1.428571, 1.680672, 1.867414, 2.018826])
        self.assertEqual((simulation.state, simulation.result_orders, simulation.result_exits), ("done", 2968, 0))
        self.assertEqual(simulation.result_price, 14.290608)

    def test_forced_exit_at_three_times_spend(self):
        """At multiple 3.0 the first member (210 points for 1000.00) is forced out on the 2,965th order."""
        simulation = self.simulation(days=2966, exit_multiple=3.0, cohort_days=1000)
        simulation.action_run()
        exit_day = simulation.day_ids.filtered("exits")
        self.assertEqual((exit_day.day, exit_day.exits, exit_day.exit_points), (2965, 1, 210.0))
        self.assertEqual(simulation.cohort_ids.sorted("index")[0].exits, 1)

    def test_start_from_the_live_pool_continues_the_live_economy(self):
        """Three simulated orders from the live pool end where the same orders through the public API end."""
        self.contribute_golden()
        self.pool.sell(self.member1, 100)
        simulation = self.simulation(days=3)
        simulation.action_start_from_live_pool()
        self.assertTrue(simulation.start_from_pool)
        self.assertEqual((simulation.start_balance, simulation.start_points, simulation.start_price,
                          simulation.start_members), (1038.50, 494.4050, 2.100505, 4))
        self.assertEqual((simulation.mint_ratio, simulation.sell_fee_rate, simulation.exit_multiple),
                         (self.pool.mint_ratio, self.pool.sell_fee_rate, self.pool.exit_multiple))
        # The demand of the last 30 days: four orders of 1000.00 contributing 30%.
        self.assertEqual((simulation.orders_per_day, simulation.order_size, simulation.contribution_rate),
                         (0.13, 1000.0, 0.30))

        simulation.write({"orders_per_day": 1})
        simulation.action_run()
        newcomers = self.env["res.partner"].create([{"name": f"Newcomer {n}"} for n in range(3)])
        for partner in newcomers:
            self.pool.contribute(partner, 1000, 300, source=self.order(partner.name))
        self.assertEqual((simulation.result_balance, simulation.result_points, simulation.result_price),
                         (self.pool.balance, self.pool.circulating_points, self.pool.price))

        live_members = simulation.cohort_ids.filtered(lambda cohort: cohort.index == 0)
        self.assertEqual((live_members.members, live_members.contributed, live_members.paid_out),
                         (4, 1200.0, 161.50))
        self.assertIn("live pool", live_members.name)

    def test_simulating_does_not_touch_the_live_pool(self):
        self.contribute_golden()
        before = self.snapshot()
        simulation = self.simulation(days=30, orders_per_day=20, exit_multiple=1.2, seller_share=0.5)
        simulation.action_start_from_live_pool()
        simulation.action_run()
        self.assertEqual(self.snapshot(), before)
        self.assertNoBreach()

    def test_cohort_money_in_and_out_add_up(self):
        simulation = self.simulation(
            days=120, orders_per_day=8, exit_multiple=1.5, seller_share=0.4, reentry_share=0.5,
            size_distribution="lognormal", size_spread=0.5, seed=3,
            injection_ids=[Command.create({"day": 60, "amount": 5000})])
        simulation.action_run()
        cohorts, days = simulation.cohort_ids, simulation.day_ids
        self.assertEqual(cohorts.mapped("index"), [1, 2, 3, 4])
        self.assertAlmostEqual(sum(cohorts.mapped("contributed")), simulation.result_contributed, places=2)
        self.assertAlmostEqual(sum(days.mapped("contributed")), simulation.result_contributed, places=2)
        self.assertAlmostEqual(sum(cohorts.mapped("paid_out")), simulation.result_paid_out, places=2)
        self.assertAlmostEqual(sum(days.mapped("payouts")), simulation.result_paid_out, places=2)
        self.assertAlmostEqual(sum(cohorts.mapped("held_value")), simulation.result_balance, places=2)
        # What the cohorts got out, less what they put in, is exactly what was injected.
        self.assertAlmostEqual(sum(cohorts.mapped("net")), 5000.0, places=2)
        self.assertEqual(simulation.result_injected, 5000.0)
        self.assertEqual(sum(days.mapped("orders")), simulation.result_orders)
        self.assertEqual(sum(cohorts.mapped("orders")), simulation.result_orders)
        self.assertEqual(sum(days.mapped("exits")), simulation.result_exits)
        self.assertEqual(sum(days.mapped("reentries")), simulation.result_reentries)
        self.assertGreater(simulation.result_reentries, 0)
        # The first cohort is paid by the later ones.
        first, last = cohorts.sorted("index")[0], cohorts.sorted("index")[-1]
        self.assertTrue(first.paid_by_later and first.net > 0)
        self.assertFalse(last.paid_by_later)
        self.assertEqual(len(cohorts.filtered("paid_by_later")), simulation.result_paid_cohorts)
        for cohort in cohorts:
            self.assertAlmostEqual(cohort.net, cohort.paid_out + cohort.held_value - cohort.contributed, places=2)

    def test_scenario_entered_in_the_form_with_an_injection(self):
        form = Form(self.env["points.simulation"])
        form.name = "Subsidy on day 5"
        form.orders_per_day = 2
        form.days = 10
        form.order_size = 1000
        form.contribution_rate = 0.3
        form.exit_multiple = 0
        form.seller_share = 0
        with form.injection_ids.new() as injection:
            injection.day = 5
            injection.amount = 10000
        simulation = form.save()
        simulation.action_run()
        days = simulation.day_ids.sorted("day")
        self.assertEqual(days.mapped("injected"), [0.0] * 4 + [10000.0] + [0.0] * 5)
        self.assertEqual(days[4].balance - days[3].balance, 10000.0 + days[4].contributed)
        self.assertGreater(days[4].price, days[3].price * 2)
        self.assertEqual(simulation.result_orders, 20)

    def test_same_seed_same_results(self):
        values = dict(days=40, orders_per_day=15, size_distribution="exponential", seller_share=0.5,
                      exit_multiple=1.3, reentry_share=1, seed=11)
        first, second = self.simulation(**values), self.simulation(**values)
        (first | second).action_run()
        fields = ["orders", "spend", "price", "sells", "exits", "reentries"]
        self.assertEqual(first.day_ids.sorted("day").read(fields)[-1] | {"id": 0},
                         second.day_ids.sorted("day").read(fields)[-1] | {"id": 0})
        self.assertEqual(first.result_price, second.result_price)

    def test_running_again_replaces_results_and_reset_clears_them(self):
        simulation = self.simulation(days=5)
        simulation.action_run()
        simulation.write({"days": 8})
        simulation.action_run()
        self.assertEqual(len(simulation.day_ids), 8)
        self.assertEqual(self.env["points.simulation.day"].search_count([("simulation_id", "=", simulation.id)]), 8)
        simulation.action_reset()
        self.assertEqual((simulation.state, len(simulation.day_ids), len(simulation.cohort_ids)), ("draft", 0, 0))

    def test_copy_keeps_the_scenario_not_the_results(self):
        simulation = self.simulation(days=5, injection_ids=[Command.create({"day": 2, "amount": 100})])
        simulation.action_run()
        copy = simulation.copy()
        self.assertEqual((copy.state, len(copy.day_ids), copy.injection_ids.amount, copy.days),
                         ("draft", 0, 100.0, 5))
        self.assertIn("(copy)", copy.name)

    def test_bad_scenarios_are_refused(self):
        for values in ({"mint_ratio": 1.0}, {"sell_fee_rate": 1.0}, {"days": 0}, {"order_size": 0},
                       {"contribution_rate": 0}, {"seller_share": 1.5}, {"reentry_share": -0.1},
                       {"sell_at_multiple": 0}, {"monthly_growth": -1}, {"cohort_days": 0},
                       {"size_distribution": "uniform", "size_spread": 2}):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.simulation(**values)
        with self.assertRaises(ValidationError):
            self.simulation(days=10, injection_ids=[Command.create({"day": 11, "amount": 100})])
        with self.assertRaises(ValidationError):
            self.simulation(days=10, injection_ids=[Command.create({"day": 1, "amount": 0})])

    def test_a_scenario_too_large_to_run_at_once_is_refused_and_nothing_is_stored(self):
        simulation = self.simulation(orders_per_day=5000, days=365)
        with self.assertRaisesRegex(UserError, "at most"):
            simulation.action_run()
        self.assertEqual((simulation.state, len(simulation.day_ids)), ("draft", 0))

    def test_results_as_charts_and_graph_views(self):
        simulation = self.simulation(days=60, orders_per_day=5, exit_multiple=1.5, cohort_days=20)
        simulation.action_run()
        self.assertEqual(simulation.chart.count("<polyline"), 6)
        self.assertEqual(simulation.chart.count("<rect"), 3 * len(simulation.cohort_ids))
        action = simulation.action_open_price_graph()
        self.assertEqual(action["domain"], [("simulation_id", "=", simulation.id)])
        Day = self.env["points.simulation.day"]
        weeks = Day._read_group(action["domain"], ["date:week"], ["price:max", "orders:sum"])
        self.assertEqual(sum(orders for _week, _price, orders in weeks), simulation.result_orders)
        self.assertEqual(max(price for _week, price, _orders in weeks), simulation.result_price)
        for method in ("action_open_flow_graph", "action_open_cohort_graph"):
            action = getattr(simulation, method)()
            self.assertEqual(action["views"][0][1], "graph")
            self.env[action["res_model"]].get_views(action["views"])
        by_cohort = self.env["points.simulation.cohort"]._read_group(
            [("simulation_id", "=", simulation.id)], ["name"], ["net:sum"])
        self.assertEqual([name for name, _net in by_cohort], simulation.cohort_ids.sorted("index").mapped("name"))
