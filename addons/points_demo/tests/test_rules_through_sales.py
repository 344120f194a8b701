"""Issue 15's smaller rules through real paid sales orders, POS orders and their refunds, all modules together."""
from contextlib import nullcontext

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.points_pos.tests.common import PointsPosCase
from odoo.addons.points_sale.tests.common import PointsSaleCase
from odoo.addons.queue_job.job import Job


def run_jobs(env, method, when=None):
    """Runs the pending queue jobs of ``method`` as the job runner would (at ``when``); returns them."""
    jobs = env["queue.job"].sudo().search([("method_name", "=", method), ("state", "=", "pending")])
    with freeze_time(when) if when else nullcontext():
        for record in jobs:
            job = Job.load(jobs.env, record.uuid)
            job.perform()
            job.set_done()
            job.store()
    return jobs


@tagged("post_install", "-at_install")
class TestRulesThroughSales(PointsSaleCase):
    """Withdraw at forced exit, rebate triggers and rewards paid outside, fed by paid invoices of sales orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.top, cls.middle, cls.bottom = Partner.create([{"name": f"Rules {name}"} for name in
                                                          ("Top", "Middle", "Bottom")])

    def paid_order(self, buyer, product=None, when=None):
        with freeze_time(when) if when else nullcontext():
            order = self.sell_product(buyer, product or self.product)
            invoice = self.invoice(order)
            self.pay(invoice)
        return invoice

    def sell_product(self, buyer, product):
        order = self.env["sale.order"].create({
            "partner_id": buyer.id, "order_line": [Command.create({"product_id": product.id})]})
        order.action_confirm()
        return order

    def run_jobs(self, method, when=None):
        return run_jobs(self.env, method, when)

    def test_a_forced_exit_by_a_paid_invoice_becomes_a_withdrawal_request(self):
        self.pool.write({"exit_multiple": 0.35, "exit_withdrawal": True, "withdrawal_fee_rate": 0.1})
        self.paid_order(self.top)
        self.assertFalse(self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "exit")]))
        self.paid_order(self.middle)
        exit_row = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "exit")])
        self.assertEqual(exit_row.partner_id, self.top, "the second paid invoice forces the first buyer out")
        self.assertEqual(len(self.run_jobs("_request_at_exit")), 1)
        withdrawal = self.env["points.withdrawal"].search([("exit_ledger_id", "=", exit_row.id)])
        self.assertEqual((withdrawal.amount, withdrawal.state), (exit_row.cash_delta, "requested"))
        self.assertAlmostEqual(withdrawal.net_amount, exit_row.cash_delta * 0.9, delta=0.01)
        self.assertNoBreach()

    def test_a_paid_invoice_feeding_the_rebate_pool_to_its_threshold_releases_the_due_queue(self):
        plan = self.env["points.allocation.plan"].create({
            "name": "Rebate plan", "company_id": self.company.id,
            "line_ids": [Command.create({"bucket": bucket, "basis": "price", "value": value}) for bucket, value in (
                ("pool", 30), ("rebate", 10), ("platform", 40), ("cost", 20))]})
        self.product.product_tmpl_id.with_company(self.company).points_plan_id = plan
        self.pool.write({"rebate_release_threshold": 300.0, "rebate_indirect_acceleration_rate": 0.05})
        self.paid_order(self.top, when="2025-08-01 10:00:00")  # queues 1000.00, feeds 100.00
        entry = self.env["points.rebate.entry"].search([("partner_id", "=", self.top.id)])
        self.assertEqual((entry.amount, entry.state), (1000.0, "queued"))
        with freeze_time("2025-08-01 11:00:00"):
            self.pool.rebate_inject(1000.0, "Funding", account=self.pool.injection_account_id)
        self.paid_order(self.middle, when="2025-08-02 10:00:00")
        self.assertFalse(self.run_jobs("_job_rebate_threshold_release", "2025-08-02 11:00:00"), "nothing is due")
        # Middle and bottom join under top; bottom's paid order accelerates middle (20%) and top (5%, indirect).
        self.middle._bind_referrer(self.top, via="staff", reason="test")
        self.bottom._bind_referrer(self.middle, via="staff", reason="test")
        middle_entry = self.env["points.rebate.entry"].search([("partner_id", "=", self.middle.id)])
        invoice = self.paid_order(self.bottom, when="2025-08-03 10:00:00")
        self.assertEqual((middle_entry.released_amount, entry.released_amount), (200.0, 50.0))
        self.credit_note(invoice)
        self.assertEqual((middle_entry.released_amount, entry.released_amount), (0.0, 0.0), "the credit note undoes")
        # 15 Aug: top's entry is due; the next paid invoice feeds the pool past the threshold.
        self.paid_order(self.middle, when="2025-08-15 10:00:00")
        jobs = self.run_jobs("_job_rebate_threshold_release", "2025-08-15 11:00:00")
        self.assertEqual(len(jobs), 1)
        self.assertEqual((entry.state, entry.released_amount), ("released", 1000.0),
                         "800.00 by the run, after 200.00 accelerated by middle's order")
        self.assertNoBreach()

    def test_a_reward_paid_outside_is_recorded_for_a_paid_invoice_and_reversed_by_its_credit_note(self):
        self.paid_order(self.top)
        self.middle._bind_referrer(self.top, via="staff", reason="test")
        plan = self.env["points.allocation.plan"].create({
            "name": "Referral plan", "company_id": self.company.id,
            "line_ids": [Command.create({"bucket": "pool", "basis": "price", "value": 30}),
                         Command.create({"bucket": "referral", "basis": "price", "value": 10})]})
        self.product.product_tmpl_id.with_company(self.company).points_plan_id = plan
        self.env["points.reward.rule"].create({
            "name": "Offline direct reward", "rule_type": "level", "level": 1, "basis": "percent", "value": 5,
            "company_id": self.company.id, "payout_mode": "outside"})
        top_wallet = self.wallet(self.top)
        before = (top_wallet.cash_balance, top_wallet.frozen_balance)
        invoice = self.paid_order(self.middle)
        reward = self.env["points.reward"].search([("partner_id", "=", self.top.id)])
        self.assertEqual((reward.amount, reward.state), (50.0, "outside"))
        self.assertFalse(reward.ledger_ids)
        self.assertEqual((top_wallet.cash_balance, top_wallet.frozen_balance), before)
        self.credit_note(invoice)
        self.assertEqual((reward.net_amount, reward.state), (0.0, "reversed"))
        self.assertNoBreach()



@tagged("post_install", "-at_install")
class TestRulesThroughPos(PointsPosCase):
    """Withdraw at forced exit and the rebate threshold, fed by POS orders synced as the POS does, and refunds."""

    def run_jobs(self, method, when=None):
        return run_jobs(self.env, method, when)

    def test_a_pos_order_forcing_a_member_out_queues_one_withdrawal_per_exit_refund_included(self):
        self.pool.write({"exit_multiple": 0.35, "exit_withdrawal": True})
        self.sell(customer=self.member)
        order = self.sell(customer=self.other)
        exit_row = self.ledger(event="exit")
        self.assertEqual(exit_row.partner_id, self.member)
        self.run_jobs("_request_at_exit")
        withdrawal = self.env["points.withdrawal"].search([("exit_ledger_id", "=", exit_row.id)])
        self.assertEqual((withdrawal.partner_id, withdrawal.amount), (self.member, exit_row.cash_delta))
        self.assertFalse(self.run_jobs("_request_at_exit"), "the job ran once")
        # The refund reverses the contribution (the price never falls): exits it causes get their own request.
        self.sync(self.refund_data(order))
        self.run_jobs("_request_at_exit")
        for row in self.ledger(event="exit").filtered(lambda row: row.cash_delta > 0):
            self.assertEqual(self.env["points.withdrawal"].search_count([("exit_ledger_id", "=", row.id)]), 1,
                             "one withdrawal per exit")
        self.assertNoBreach()

    def test_a_pos_order_feeding_the_rebate_pool_to_its_threshold_releases_the_due_queue(self):
        plan = self.env["points.allocation.plan"].create({
            "name": "Rebate plan", "company_id": self.company.id,
            "line_ids": [Command.create({"bucket": bucket, "basis": "price", "value": value}) for bucket, value in (
                ("pool", 30), ("rebate", 10), ("platform", 40), ("cost", 20))]})
        self.product.product_tmpl_id.with_company(self.company).points_plan_id = plan
        self.pool.rebate_release_threshold = 1100.0
        with freeze_time("2025-08-01 10:00:00"):
            self.sell(customer=self.member)
            self.pool.rebate_inject(900.0, "Funding", account=self.pool.injection_account_id)
        entry = self.env["points.rebate.entry"].search([("partner_id", "=", self.member.id)])
        self.assertEqual((entry.amount, entry.due_date.isoformat()), (1000.0, "2025-08-15"))
        with freeze_time("2025-08-15 10:00:00"):
            order = self.sell(customer=self.other)
        self.assertEqual(entry.state, "queued", "the POS sync releases nothing itself")
        self.assertEqual(len(self.run_jobs("_job_rebate_threshold_release", "2025-08-15 11:00:00")), 1)
        self.assertEqual(entry.state, "released")
        self.sync(self.refund_data(order))
        self.assertEqual(self.env["points.rebate.entry"].search([("partner_id", "=", self.other.id)]).state,
                         "cancelled", "the refund cancels the other customer's queued rebate")
        self.assertNoBreach()
