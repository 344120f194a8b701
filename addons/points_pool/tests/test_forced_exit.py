from odoo.tests import tagged
from odoo.tools import SQL

from .common import PointsCase


@tagged("post_install", "-at_install")
class TestForcedExit(PointsCase):
    def test_exited_member_reenters_with_a_new_cycle(self):
        self.pool.exit_multiple = 1.2
        self.contribute_golden(3)
        self.pool.inject(2000, "financing", account=self.pool.injection_account_id)
        wallet = self.wallet(self.member1)
        self.assertEqual((wallet.state, wallet.points, wallet.cycle_number, wallet.exit_count), ("exited", 0.0, 2, 1))
        self.assertFalse(wallet.exit_price)
        self.assertEqual(wallet.cash_balance, 1010.89)
        exit_row = self.env["points.ledger"].search([("wallet_id", "=", wallet.id), ("event", "=", "exit")])
        self.assertEqual((exit_row.cycle_number, exit_row.gross_value), (1, 1263.61))
        self.pool.contribute(self.member1, 500, 150, source=self.order("Re-entry"))
        self.assertEqual((wallet.state, wallet.cycle_spend, wallet.cycle_realized), ("active", 500.0, 0.0))
        self.assertGreater(wallet.points, 0)
        self.assertNoBreach()

    def test_exit_multiple_zero_turns_exits_off(self):
        self.pool.exit_multiple = 0
        self.contribute_golden(3)
        self.pool.inject(100000, "huge subsidy", account=self.pool.injection_account_id)
        self.assertFalse(self.env["points.ledger"].search_count(
            [("pool_id", "=", self.pool.id), ("event", "=", "exit")]))
        self.assertFalse(self.wallet(self.member1).exit_price)

    def test_selling_moves_the_exit_price(self):
        self.contribute_golden()
        wallet = self.wallet(self.member1)
        before = wallet.exit_price
        self.pool.sell(self.member1, 100)
        # (3 × 1000 − 201.88) ÷ 110
        self.assertAlmostEqual(wallet.exit_price, (3000 - 201.88) / 110, places=5)
        self.assertGreater(wallet.exit_price, before)

    def test_due_exits_are_found_through_the_exit_price_index(self):
        self.contribute_golden()
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(SQL(
            """EXPLAIN SELECT id FROM points_wallet
                WHERE pool_id = %s AND exit_price IS NOT NULL AND exit_price <= %s
                ORDER BY exit_price, id LIMIT 20""", self.pool.id, 3.0))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("points_wallet_pool_exit_price_index", plan)

    def test_lowering_the_exit_multiple_forces_out_members_now_due(self):
        self.contribute_golden(3)
        self.pool.inject(2000, "financing", account=self.pool.injection_account_id)
        self.assertEqual(self.wallet(self.member1).state, "active")
        self.pool.exit_multiple = 1.2
        self.assertAlmostEqual(self.wallet(self.member2).exit_price, 1200 / 147, places=5)
        exits = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "exit")])
        self.assertEqual(exits.partner_id, self.member1)
        self.assertEqual(exits.amount, 1010.89)
        self.assertNoBreach()
