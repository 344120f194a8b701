from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUiTours(HttpCase):
    def test_back_office_sells_points_for_a_member(self):
        company = self.env.ref("base.main_company")
        pool = self.env["points.pool"]._get_for_company(company)
        member = self.env["res.partner"].create({"name": "Tour Member"})
        pool.contribute(member, 1000, 300, source=self.env["res.partner.category"].create({"name": "Tour order"}))
        wallet = self.env["points.wallet"]._get_for_partner(member, company)
        points, balance = wallet.points, pool.balance

        self.start_tour("/odoo", "points_pool_sell_tour", login="admin")

        sale = self.env["points.ledger"].search([("wallet_id", "=", wallet.id), ("event", "=", "sell")])
        self.assertEqual(sale.points_delta, -10.0)
        self.assertEqual(wallet.points, points - 10)
        self.assertEqual(wallet.cash_balance, sale.amount)
        self.assertAlmostEqual(pool.balance, balance - sale.amount, places=2)
