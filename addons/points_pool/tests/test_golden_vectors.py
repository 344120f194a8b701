from odoo.tests import tagged

from .common import PointsCase


@tagged("post_install", "-at_install")
class TestGoldenVectors(PointsCase):
    def test_four_orders_mint_the_golden_points(self):
        expected = [
            (210.0, 300.0, 210.0, "1.428571"),
            (147.0, 600.0, 357.0, "1.680672"),
            (124.95, 900.0, 481.95, "1.867414"),
            (112.455, 1200.0, 594.405, "2.018826"),
        ]
        for member, (minted, balance, points, price) in zip(self.members, expected):
            request = self.pool.contribute(member, 1000, 300, source=self.order())
            self.assertEqual(request.state, "applied", "a free pool applies the request at once")
            self.assertEqual(request.ledger_id.points_delta, minted)
            self.assertEqual(self.pool.balance, balance)
            self.assertEqual(self.pool.circulating_points, points)
            self.assertPrice(price)
            self.assertEqual(self.wallet(member).points, minted)
        self.assertNoBreach()

    def test_sell_pays_value_less_fee_and_raises_price(self):
        self.contribute_golden()
        row = self.pool.sell(self.member1, 100).ledger_id
        self.assertEqual(row.amount, 161.50)
        self.assertEqual(self.pool.balance, 1038.50)
        self.assertEqual(self.pool.circulating_points, 494.405)
        self.assertPrice("2.100505")
        self.assertEqual(self.wallet(self.member1).cash_balance, 161.50)
        self.assertEqual(self.wallet(self.member1).points, 110.0)
        self.assertNoBreach()

    def test_exit_thresholds_are_stored_on_wallets(self):
        self.contribute_golden()
        self.assertAlmostEqual(self.wallet(self.member1).exit_price, 14.2857, places=4)
        self.assertAlmostEqual(self.wallet(self.member2).exit_price, 20.4082, places=4)

    def test_injection_forces_out_in_cascade(self):
        self.pool.exit_multiple = 1.2
        self.contribute_golden(3)
        self.pool.inject(2000, "financing", account=self.pool.injection_account_id)
        exits = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "exit")])
        self.assertEqual(exits.partner_id, self.member1)
        self.assertEqual(exits.amount, 1010.89)
        self.assertEqual(self.pool.balance, 1889.11)
        self.assertEqual(self.pool.circulating_points, 271.95)
        self.assertPrice("6.946534")
        self.assertEqual(self.wallet(self.member1).state, "exited")
        self.assertEqual(self.wallet(self.member2).state, "active")

        self.pool.inject(1500, "financing", account=self.pool.injection_account_id)
        exits = self.env["points.ledger"].search(
            [("pool_id", "=", self.pool.id), ("event", "=", "exit")], order="id")
        self.assertEqual(exits.mapped("partner_id"), self.members[:3])
        self.assertEqual(exits.mapped("amount"), [1010.89, 1465.56, 1538.84])
        self.assertEqual(self.pool.balance, 384.71)
        self.assertEqual(self.pool.circulating_points, 0.0)
        self.assertPrice("15.394558")
        self.assertNoBreach()
