from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import SimulatorCase


@tagged("post_install", "-at_install")
class TestDashboardData(SimulatorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "UTC"
        cls.user = new_test_user(cls.env, login="dashboard_user", groups="points_pool.group_points_user",
                                 company_id=cls.company.id, company_ids=[cls.company.id])
        with freeze_time("2026-05-01 10:00:00"):
            for n, member in enumerate(cls.members[:3], start=1):
                cls.pool.contribute(member, 1000, 300, source=cls.env["res.partner.category"].create(
                    {"name": f"Order {n}"}))
        with freeze_time("2026-05-02 09:00:00"):
            cls.pool.contribute(cls.member4, 1000, 300, source=cls.env["res.partner.category"].create({"name": "Order 4"}))
            cls.pool.sell(cls.member1, 10)
        cls.other_company = cls.env["res.company"].create({"name": "Other Pool Co"})
        cls.other_pool = cls.env["points.pool"].with_company(cls.other_company)._get_for_company(cls.other_company)
        with freeze_time("2026-05-02 09:30:00"):
            cls.other_pool.contribute(cls.member2, 5000, 1500, source=cls.env["res.partner.category"].create({"name": "Other"}))

    def data(self, user=None, **kwargs):
        with freeze_time("2026-05-02 18:00:00"):
            env = self.env(user=user or self.user, context={"allowed_company_ids": [self.company.id]})
            return env["points.dashboard"].get_dashboard_data(**kwargs)

    def test_cards_show_the_pool_and_todays_flows(self):
        data = self.data()
        cards = {card["key"]: card for card in data["cards"]}
        self.assertEqual(data["pool"]["id"], self.pool.id)
        self.assertEqual(cards["price"]["value"], self.pool.price)
        self.assertEqual(cards["balance"]["value"], self.pool.balance)
        self.assertEqual(cards["circulating_points"]["value"], self.pool.circulating_points)
        today = self.env["points.pool.day"].search([("pool_id", "=", self.pool.id)], order="date desc", limit=1)
        yesterday = self.env["points.pool.day"].search([("pool_id", "=", self.pool.id)], order="date", limit=1)
        self.assertEqual(str(today.date), data["today"])
        sale = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "sell")])
        self.assertEqual((cards["contributions"]["value"], cards["sells"]["value"]), (300.0, sale.amount))
        self.assertIn("1", cards["contributions"]["detail"])
        self.assertEqual(cards["exits"]["value"], 0.0)
        self.assertAlmostEqual(cards["price_change"]["value"], self.pool.price - yesterday.price, places=6)
        self.assertEqual(cards["balance"]["display"], self.pool.currency_id.format(self.pool.balance))
        self.assertEqual([card["sequence"] for card in data["cards"]],
                         sorted(card["sequence"] for card in data["cards"]), "cards come in their order")
        # The charts: one point a day, closing figures of the pool.
        series = data["series"]
        self.assertEqual(series["dates"], ["2026-05-01", "2026-05-02"])
        self.assertEqual((series["price"][-1], series["balance"][-1], series["circulating_points"][-1]),
                         (self.pool.price, self.pool.balance, self.pool.circulating_points))
        self.assertEqual(series["contributions"], [900.0, 300.0])
        self.assertEqual(series["payouts"], [0.0, sale.amount])
        self.assertEqual(self.data(days=1)["series"]["dates"], ["2026-05-02"])

    def test_other_companys_pool_is_never_shown(self):
        data = self.data()
        self.assertNotEqual(data["pool"]["id"], self.other_pool.id)
        self.assertNotIn(self.other_pool.balance, data["series"]["balance"])
        with self.assertRaises(AccessError):
            self.data(company_id=self.other_company.id)
        with self.assertRaises(UserError):
            self.data(company_id="1 OR 1=1")
        with self.assertRaises(UserError):
            self.data(days=100000)

    def test_only_points_users_open_the_dashboard(self):
        employee = new_test_user(self.env, login="dashboard_employee", groups="base.group_user",
                                 company_id=self.company.id, company_ids=[self.company.id])
        portal = new_test_user(self.env, login="dashboard_portal", groups="base.group_portal",
                               company_id=self.company.id, company_ids=[self.company.id])
        for user in (employee, portal):
            with self.assertRaises(AccessError):
                self.data(user=user)
            with self.assertRaises(AccessError):
                self.env(user=user)["points.dashboard"].get_compare_data()

    def test_compare_runs_ends_a_shorter_run_on_its_last_day(self):
        long_run, short_run = self.simulation(name="Long", days=10), self.simulation(name="Short", days=4)
        (long_run | short_run).action_run()
        env = self.env(user=self.user, context={"allowed_company_ids": [self.company.id]})
        data = env["points.dashboard"].get_compare_data([long_run.id, short_run.id], "price")
        self.assertEqual(data["labels"], list(range(1, 11)))
        runs = {run["name"]: run for run in data["runs"]}
        short = runs["Short"]["data"]
        self.assertEqual(runs["Short"]["days"], 4)
        self.assertTrue(all(short[:4]), "the short run's price on each of its days")
        self.assertEqual(short[4:], [None] * 6, "no drop to zero after the run's last day: the line ends")
        self.assertEqual(short[3], short_run.day_ids.sorted("day")[-1].price)
        self.assertTrue(all(runs["Long"]["data"]))
        with self.assertRaises(UserError):
            env["points.dashboard"].get_compare_data(None, "name")
        self.assertEqual(env["points.dashboard"].get_compare_data([], "price")["runs"], [])
        other = self.simulation(name="Other", company_id=self.other_company.id)
        with self.assertRaises(AccessError):
            env["points.dashboard"].get_compare_data([other.id], "price")


@tagged("post_install", "-at_install")
class TestDashboardUi(HttpCase):
    browser_size = "1920,1080"  # every section of the Points menu in the navbar, none folded into "More"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Dashboard Tour Co"})
        cls.company.partner_id.tz = "UTC"
        admin = cls.env.ref("base.user_admin")
        admin.write({"company_ids": [(4, cls.company.id)], "company_id": cls.company.id})
        cls.pool = cls.env["points.pool"].with_company(cls.company)._get_for_company(cls.company)
        members = cls.env["res.partner"].create([{"name": f"Tour Member {n}"} for n in range(4)])
        for n, member in enumerate(members):
            cls.pool.contribute(member, 1000, 300, source=cls.env["res.partner.category"].create(
                {"name": f"Tour order {n}"}))
        runs = cls.env["points.simulation"].with_company(cls.company).create([
            {"name": name, "company_id": cls.company.id, "days": days, "orders_per_day": 1, "exit_multiple": 0,
             "seller_share": 0, "reentry_share": 0} for name, days in (("Tour long run", 10), ("Tour short run", 4))])
        runs.action_run()
        cls.user = new_test_user(cls.env, login="dashboard_rpc_user", groups="points_pool.group_points_user",
                                 company_id=cls.company.id, company_ids=[cls.company.id])
        cls.portal = new_test_user(cls.env, login="dashboard_rpc_portal", groups="base.group_portal",
                                   company_id=cls.company.id, company_ids=[cls.company.id])

    def test_dashboard_tour_shows_the_pools_figures_and_charts(self):
        # The figures the tour reads on the cards.
        self.assertEqual(self.pool.balance, 1200.0)
        self.assertEqual(f"{self.pool.circulating_points:,.4f}"[:5], "594.4")
        self.start_tour("/odoo", "points_dashboard_tour", login="admin")

    def rpc(self, login):
        self.authenticate(login, login)
        return self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": "points.dashboard", "method": "get_dashboard_data", "args": [],
            "kwargs": {"company_id": self.company.id, "context": {"allowed_company_ids": [self.company.id]}}})

    def test_points_user_opens_it_over_rpc_a_portal_user_may_not(self):
        data = self.rpc(self.user.login)
        self.assertEqual({card["key"]: card["value"] for card in data["cards"]}["balance"], 1200.0)
        with self.assertRaises(JsonRpcException) as refusal:
            self.rpc(self.portal.login)
        self.assertEqual(str(refusal.exception), "odoo.exceptions.AccessError")
