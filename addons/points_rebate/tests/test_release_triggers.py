from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from odoo.addons.queue_job.job import Job

from .common import RebateCase


@tagged("post_install", "-at_install")
class TestReleaseTriggers(RebateCase):
    """Queued rebate triggers besides the daily job: a rebate pool threshold, and indirect referees' orders."""

    def threshold_jobs(self):
        return self.env["queue.job"].search([("method_name", "=", "_job_rebate_threshold_release"),
                                             ("state", "=", "pending")])

    def run_threshold_jobs(self, when):
        jobs = self.threshold_jobs()
        with freeze_time(when):
            for job in jobs:
                Job.load(self.env, job.uuid).perform()
        return jobs

    def test_reaching_the_threshold_queues_a_release_run_outside_the_feeding_transaction(self):
        self.pool.rebate_release_threshold = 500.0
        entry = self.entry_of(self.pay(self.member1, 100.0, "2025-08-01 10:00:00"))
        self.fund(300.0)
        self.assertFalse(self.threshold_jobs(), "below the threshold nothing is queued")
        # 16 Aug: the entry is due; money fed by an order brings the pool to 500.00.
        self.pay(self.member2, 100.0, "2025-08-16 10:00:00")
        self.assertFalse(self.threshold_jobs(), "320.00 in the pool")
        with freeze_time("2025-08-16 10:30:00"):
            self.fund(180.0)
        self.assertEqual(self.rebate_balance(), 500.0)
        self.assertEqual(entry.state, "queued", "the feeding transaction releases nothing itself")
        jobs = self.run_threshold_jobs("2025-08-16 11:00:00")
        self.assertEqual(len(jobs), 1, "one job per pool")
        release = self.env["points.pool.request"].search(
            [("pool_id", "=", self.pool.id), ("kind", "=", "rebate_release")])
        self.assertEqual((release.state, release.rebate_release_count), ("applied", 1))
        self.assertEqual((entry.state, self.cash(self.member1)), ("released", 100.0))
        self.assertEqual(self.rebate_balance(), 400.0)
        self.assertNoBreach()

    def test_no_threshold_or_nothing_due_queues_nothing(self):
        self.pay(self.member1, 100.0, "2025-08-01 10:00:00")
        self.fund(10000.0)
        self.assertFalse(self.threshold_jobs(), "no threshold: only the daily job releases")
        self.pool.rebate_release_threshold = 500.0
        with freeze_time("2025-08-05 10:00:00"):
            self.fund(10.0)
        self.assertFalse(self.threshold_jobs(), "the entry is not due yet (locked until 15 Aug)")

    def test_an_indirect_referee_accelerates_at_its_own_rate(self):
        top, middle, buyer = self.make_chain(3, prefix="Ind ")
        self.fund(1000.0)
        top_entry = self.entry_of(self.pay(top, 100.0, "2025-08-01 08:00:00"))
        middle_entry = self.entry_of(self.pay(middle, 100.0, "2025-08-01 09:00:00"))
        self.assertEqual(top_entry.released_amount, 20.0, "middle's own order: the direct acceleration")
        self.pay(buyer, 100.0, "2025-08-02 08:00:00")
        self.assertEqual(top_entry.released_amount, 20.0, "the indirect rate is 0 by default")
        self.assertEqual(middle_entry.released_amount, 20.0)
        form = Form(self.env["res.config.settings"])
        form.points_rebate_indirect_acceleration_rate = 0.05
        form.save().execute()
        rows = self.pay(buyer, 200.0, "2025-08-03 08:00:00")
        self.assertEqual((top_entry.released_amount, top_entry.remaining), (30.0, 70.0), "5% of 200.00")
        self.assertEqual(middle_entry.released_amount, 60.0, "20% of 200.00 more")
        indirect = self.env["points.ledger"].search([("rebate_entry_id", "=", top_entry.id)], order="id desc", limit=1)
        self.assertIn("indirect referee", indirect.memo)
        rows._reverse(1.0, self.order("Refund"))
        self.assertEqual((top_entry.released_amount, self.cash(top)), (20.0, 20.0), "the refund undoes both")
        self.assertEqual((middle_entry.released_amount, self.cash(middle)), (20.0, 20.0))
        self.assertNoBreach()

    def test_rates_and_thresholds_out_of_range_are_refused(self):
        before = self.snapshot()
        for values in ({"rebate_indirect_acceleration_rate": -0.1}, {"rebate_indirect_acceleration_rate": 1.5},
                       {"rebate_release_threshold": -1}):
            with self.subTest(values=values), self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.pool.write(values)
        self.assertEqual(self.snapshot(), before)
