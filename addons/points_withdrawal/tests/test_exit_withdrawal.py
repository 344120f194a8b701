from odoo.tests import Form, tagged

from odoo.addons.queue_job.job import Job

from .common import WalletServiceCase


@tagged("post_install", "-at_install")
class TestExitWithdrawal(WalletServiceCase):
    """Withdraw at forced exit (自动发起提现): the cash of an exit becomes a withdrawal request, queued after the exit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool.exit_withdrawal = True

    def exit_jobs(self):
        return self.env["queue.job"].search([("method_name", "=", "_request_at_exit"), ("state", "=", "pending")])

    def force_exits(self):
        """Injected money lifts the price until members are forced out; runs the queued withdrawals."""
        self.pool.write({"exit_multiple": 1.2})
        self.pool.inject(3000, "subsidy", account=self.pool.injection_account_id)
        exits = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "exit")])
        self.assertTrue(exits, "the injection forced members out")
        self.assertFalse(self.env["points.withdrawal"].search([("exit_ledger_id", "in", exits.ids)]),
                         "nothing is requested inside the pool's chain of events")
        jobs = self.exit_jobs()
        self.assertEqual(len(jobs), len(exits), "one job per exit")
        for job in jobs:
            Job.load(self.env, job.uuid).perform()
        return exits

    def test_the_cash_of_a_forced_exit_becomes_one_withdrawal_request_under_the_usual_rules(self):
        exits = self.force_exits()
        for row in exits:
            withdrawal = self.env["points.withdrawal"].search([("exit_ledger_id", "=", row.id)])
            with self.subTest(member=row.partner_id.name):
                self.assertEqual((withdrawal.partner_id, withdrawal.amount, withdrawal.state),
                                 (row.partner_id, row.cash_delta, "requested"))
                self.assertAlmostEqual(withdrawal.fee_amount, row.cash_delta * 0.02, delta=0.01, msg="the 2% fee")
                self.assertAlmostEqual(withdrawal.fee_amount + withdrawal.net_amount, withdrawal.amount, places=2)
                self.assertEqual(len(withdrawal.review_ids), 1, "approved through the tiers")
                self.assertEqual(row.wallet_id.reserved_balance, withdrawal.amount)
                # The same exit again (a retried job) requests nothing more.
                self.assertEqual(self.env["points.withdrawal"]._request_at_exit(row), withdrawal)
        withdrawal = self.env["points.withdrawal"].search([("exit_ledger_id", "=", exits[:1].id)])
        withdrawal.with_user(self.manager).action_approve()
        self.assertEqual(withdrawal.state, "paid")
        self.assertEqual(self.pool._integrity_breaches(), [])

    def test_exit_cash_below_the_minimum_stays_in_the_wallet_with_a_note(self):
        self.pool.withdrawal_min_amount = 100000
        exits = self.force_exits()
        self.assertFalse(self.env["points.withdrawal"].search([("exit_ledger_id", "in", exits.ids)]))
        for row in exits:
            self.assertEqual(row.wallet_id.reserved_balance, 0)
            self.assertIn("the smallest withdrawal is", row.wallet_id.message_ids[:1].body)
        self.assertEqual(self.pool._integrity_breaches(), [])

    def test_a_request_the_rules_refuse_leaves_the_cash_and_says_why(self):
        self.pool.withdrawal_daily_limit = 1
        exits = self.force_exits()
        self.assertFalse(self.env["points.withdrawal"].search([("exit_ledger_id", "in", exits.ids)]))
        self.assertIn("daily withdrawal limit", exits[:1].wallet_id.message_ids[:1].body)

    def test_without_the_setting_an_exit_queues_nothing(self):
        form = Form(self.env["res.config.settings"])
        form.points_exit_withdrawal = False
        form.save().execute()
        self.assertFalse(self.pool.exit_withdrawal)
        self.pool.write({"exit_multiple": 1.2})
        self.pool.inject(3000, "subsidy", account=self.pool.injection_account_id)
        self.assertFalse(self.exit_jobs())
        self.assertTrue(self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "exit")]))

    def test_only_a_forced_exit_row_is_withdrawn(self):
        sale = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "sell")], limit=1)
        before = self.snapshot()
        self.assertFalse(self.env["points.withdrawal"]._request_at_exit(sale))
        self.assertEqual(self.snapshot(), before)
