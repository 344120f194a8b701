from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ReportCase

REPORT = "points_report.report_member_statement"


@tagged("post_install", "-at_install")
class TestMemberStatement(ReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="Asia/Shanghai"))
        cls.pool = cls.pool.with_env(cls.env)
        # The ledger rows of the events (the pool is free in tests: each request is applied at once).
        with freeze_time("2026-03-01 02:00:00"):
            cls.golden = [cls.pool.contribute(member, 1000, 300, source=cls.env["res.partner.category"].create(
                {"name": f"Order {n}"})).ledger_id for n, member in enumerate(cls.members, start=1)]
        with freeze_time("2026-03-05 02:00:00"):
            cls.sale = cls.pool.sell(cls.member1, 100).ledger_id
        with freeze_time("2026-03-10 02:00:00"):
            cls.second_order = cls.pool.contribute(
                cls.member1, 2000, 600, source=cls.env["res.partner.category"].create({"name": "Order 5"})).ledger_id
        # 2026-04-01 03:00 in Shanghai: after the end of March there, still March in UTC.
        with freeze_time("2026-03-31 19:00:00"):
            cls.april_sale = cls.pool.sell(cls.member1, 10).ledger_id
        cls.wallet1 = cls.env["points.wallet"]._get_for_partner(cls.member1, cls.company)

    def statement(self, date_from, date_to, wallet=None):
        wallet = wallet or self.wallet1
        values = self.env["report.points_report.report_member_statement"]._get_report_values(
            wallet.ids, data={"date_from": date_from, "date_to": date_to})
        return values["statements"][wallet.id]

    def test_statement_of_a_period(self):
        statement = self.statement("2026-03-02", "2026-03-31")
        # Opening: member 1's first order, priced after the fourth order of March 1.
        self.assertEqual((statement["opening_points"], statement["opening_cash"]), (210.0, 0.0))
        self.assertEqual(statement["opening_price"], 2.018826)
        self.assertEqual(statement["opening_value"], 423.95)
        self.assertEqual([line["row"] for line in statement["lines"]], [self.sale, self.second_order])
        minted = self.second_order.points_delta
        self.assertEqual(statement["closing_points"], 210.0 - 100.0 + minted)
        self.assertEqual(statement["closing_cash"], 161.50)
        self.assertEqual(statement["closing_price"], self.second_order.price_after)
        self.assertAlmostEqual(statement["closing_value"], round(statement["closing_points"] * statement["closing_price"], 2))
        self.assertEqual((statement["spend"], statement["contributed"], statement["points_earned"]), (2000.0, 600.0, minted))
        self.assertEqual((statement["points_sold"], statement["payouts"], statement["exits"]), (100.0, 161.50, 0))
        self.assertEqual((statement["rewards"], statement["reward_count"]), (0.0, 0))
        # Running balances, line by line.
        self.assertEqual([(line["points"], line["cash"]) for line in statement["lines"]],
                         [(110.0, 161.50), (110.0 + minted, 161.50)])
        self.assertEqual(statement["lines"][0]["event"], "Sale of points")

    def test_periods_follow_the_users_time_zone(self):
        march = self.statement("2026-03-01", "2026-03-31")
        april = self.statement("2026-04-01", "2026-04-30")
        self.assertNotIn(self.april_sale, [line["row"] for line in march["lines"]])
        self.assertEqual([line["row"] for line in april["lines"]], [self.april_sale])
        self.assertEqual(april["opening_points"], march["closing_points"])
        # The whole history ends on the wallet's balances.
        self.wallet1.invalidate_recordset()
        self.assertEqual(april["closing_points"], self.wallet1.points)
        self.assertEqual(april["closing_cash"], self.wallet1.cash_balance)
        in_utc = self.env["report.points_report.report_member_statement"].with_context(tz="UTC")
        utc_march = in_utc._get_report_values(self.wallet1.ids, data={"date_from": "2026-03-01",
                                                                        "date_to": "2026-03-31"})
        self.assertIn(self.april_sale, [line["row"] for line in utc_march["statements"][self.wallet1.id]["lines"]])

    def test_a_period_without_movement(self):
        wallet4 = self.env["points.wallet"]._get_for_partner(self.member4, self.company)
        statement = self.statement("2026-03-02", "2026-03-31", wallet4)
        self.assertEqual(statement["lines"], [])
        self.assertEqual(statement["opening_points"], statement["closing_points"])
        self.assertEqual(statement["opening_points"], self.golden[3].points_delta)
        html = self.render_html(REPORT, wallet4, data={"date_from": "2026-03-02", "date_to": "2026-03-31"})
        self.assertIn("No movement in this period", html)

    def test_wizard_prints_the_statements_of_the_chosen_members(self):
        self.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        wallets = self.wallet1 | self.env["points.wallet"]._get_for_partner(self.member2, self.company)
        form = Form(self.env["points.statement.wizard"].with_context(active_model="points.wallet",
                                                                       active_ids=wallets.ids))
        self.assertEqual(form.wallet_ids.ids, wallets.ids)
        form.date_from = date(2026, 3, 2)
        form.date_to = date(2026, 3, 31)
        action = form.save().action_print()
        self.assertEqual((action["type"], action["report_name"]), ("ir.actions.report", REPORT))
        self.assertEqual(action["data"], {"date_from": "2026-03-02", "date_to": "2026-03-31"})
        self.assertEqual(sorted(action["context"]["active_ids"]), sorted(wallets.ids))
        html = self.render_html(REPORT, wallets, data=action["data"])
        self.assertEqual(html.count("Member Statement"), 2)
        self.assertIn(self.member1.name, html)
        self.assertIn(self.member2.name, html)
        self.assertIn("Sale of points", html)
        self.assertIn("161.50", html)
        self.assertIn("2.018826", html)

    def test_wizard_refuses_a_period_that_ends_before_it_starts(self):
        with self.assertRaises(ValidationError):
            self.env["points.statement.wizard"].create({
                "wallet_ids": self.wallet1.ids, "date_from": "2026-03-31", "date_to": "2026-03-01"})

    def test_statement_defaults_to_the_current_month(self):
        with freeze_time("2026-03-20 06:00:00"):
            values = self.env["report.points_report.report_member_statement"]._get_report_values(self.wallet1.ids)
        self.assertEqual((values["date_from"], values["date_to"]), (date(2026, 3, 1), date(2026, 3, 20)))
