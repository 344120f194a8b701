from odoo import Command
from odoo.tests import tagged

from .common import ReportCase

REPORT = "points_report.report_pool_reconciliation"


@tagged("post_install", "-at_install")
class TestReconciliationReport(ReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A pool built through the public API only: orders, a forced-exit cascade, a sale, a partial refund.
        cls.pool.exit_multiple = 1.2
        cls.sources = [cls.env["res.partner.category"].create({"name": f"Order {n}"}) for n in range(1, 5)]
        for member, source in zip(cls.members[:3], cls.sources):
            cls.pool.contribute(member, 1000, 300, source=source)
        cls.pool.inject(2000, "Launch subsidy")
        cls.pool.contribute(cls.member4, 1000, 300, source=cls.sources[3])
        cls.pool.sell(cls.member2, 50)
        cls.pool.reverse(cls.sources[3], 0.5, refund_source=cls.env["res.partner.category"].create({"name": "R"}))

    def values(self):
        return self.env["report.points_report.report_pool_reconciliation"]._get_report_values(self.pool.ids)

    def figures(self, reconciliation):
        return {section["name"]: [(line["value"], line["difference"]) for line in section["lines"]]
                for section in reconciliation["sections"]}

    def post_manual_entry(self, debit_account, credit_account, amount, partner=None):
        """An entry an accountant posts by hand, outside the pool: the deliberate breach."""
        move = self.env["account.move"].create({
            "move_type": "entry", "journal_id": self.pool.journal_id.id, "company_id": self.company.id,
            "line_ids": [
                Command.create({"name": "Manual", "account_id": debit_account.id, "debit": amount,
                                "partner_id": partner.id if partner else False}),
                Command.create({"name": "Manual", "account_id": credit_account.id, "credit": amount,
                                "partner_id": partner.id if partner else False}),
            ],
        })
        move.action_post()
        return move

    def test_a_pool_built_through_the_public_api_reconciles(self):
        self.assertEqual(self.env["points.ledger"].search_count(
            [("pool_id", "=", self.pool.id), ("event", "=", "exit")]), 1)
        reconciliation = self.values()["reconciliations"][self.pool.id]
        self.assertTrue(reconciliation["reconciled"])
        self.assertEqual(reconciliation["differences"], [])
        self.assertEqual(reconciliation["wallet_count"], 4)
        figures = self.figures(reconciliation)
        balance = round(self.pool.balance, 2)
        self.assertEqual(figures["Pool balance"], [(balance, 0.0)] * 3)
        self.assertEqual(figures["Circulating points"], [(round(self.pool.circulating_points, 4), 0.0)] * 3)
        cash = round(sum(self.pool.wallet_ids.mapped("cash_balance")), 2)
        self.assertGreater(cash, 1000)
        self.assertEqual(figures["Member cash balances"], [(cash, 0.0)] * 3)

        html = self.render_html(REPORT, self.pool)
        self.assertIn("Profit Pool Reconciliation", html)
        self.assertIn("Everything reconciles", html)
        self.assertIn("No difference", html)
        self.assertIn(self.pool.pool_account_id.code, html)
        self.assertIn(f"{balance:,.2f}", html)
        self.assertNotIn("text-danger", html)

    def test_a_deliberate_breach_shows_in_the_report(self):
        self.post_manual_entry(self.pool.contribution_account_id, self.pool.pool_account_id, 50)
        self.post_manual_entry(self.pool.contribution_account_id, self.pool.wallet_account_id, 20, self.member3)
        reconciliation = self.values()["reconciliations"][self.pool.id]
        self.assertFalse(reconciliation["reconciled"])
        figures = self.figures(reconciliation)
        self.assertEqual([difference for _value, difference in figures["Pool balance"]], [0.0, 0.0, 50.0])
        self.assertEqual([difference for _value, difference in figures["Member cash balances"]], [0.0, 0.0, 20.0])
        self.assertEqual([difference for _value, difference in figures["Circulating points"]], [0.0, 0.0, 0.0])
        listed = {(difference["name"], difference["partner"], difference["difference"])
                  for difference in reconciliation["differences"]}
        self.assertEqual(listed, {
            ("General ledger pool liability = pool balance", self.env["res.partner"], 50.0),
            ("General ledger wallet payable = cash balance", self.member3, 20.0),
        })
        self.assertEqual(len(reconciliation["differences"]), len(self.pool._integrity_breaches()))

        html = self.render_html(REPORT, self.pool)
        self.assertIn("Differences found", html)
        self.assertIn("General ledger wallet payable = cash balance", html)
        self.assertIn(self.member3.name, html)
        self.assertIn("50.000000", html)
        self.assertNotIn("Everything reconciles", html)

    def test_screen_and_pdf_actions(self):
        action = self.env.ref("points_report.points_pool_action_reconciliation").with_company(self.company).run()
        self.assertEqual((action["report_type"], action["report_name"]), ("qweb-html", REPORT))
        self.assertEqual(action["context"]["active_ids"], self.pool.ids)
        pdf_report = self.env.ref("points_report.points_pool_reconciliation_report")
        self.assertEqual((pdf_report.report_type, pdf_report.binding_model_id.model), ("qweb-pdf", "points.pool"))
