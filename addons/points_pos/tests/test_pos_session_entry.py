from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PointsPosCase


@tagged("post_install", "-at_install")
class TestPosSessionEntry(PointsPosCase):
    """In real-time accounting too, a POS order's pool events are booked by its session's closing, like its
    sales: no journal entry per order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool.accounting_mode = "realtime"
        # The member holds 210 points worth 300.00 (SPEC §3.4, first order).
        cls.pool.contribute(cls.member, 1000, 300, source=cls.member)

    def order_rows(self, orders):
        """The contributions of the orders' lines."""
        return self.ledger(event="contribute", source_model="pos.order.line").filtered(
            lambda row: row.source_id in orders.lines.ids)

    def assertReconciles(self):
        """The pool's figures agree with the ledger and the general ledger, waiting rows counted as pending."""
        self.assertNoBreach()
        for section in self.pool._reconciliation_sections():
            for label, value in section["figures"]:
                self.assertAlmostEqual(value, section["reference"], places=2, msg=label)

    def test_the_closing_books_the_orders_pool_events_in_one_entry(self):
        orders = self.sell(quantity=2) | self.sell(customer=self.other)
        paid = self.sell(payments=[(self.points_pm, 100.0), (self.bank_pm1, 900.0)])
        orders |= paid
        rows = self.order_rows(orders)
        self.assertEqual(len(rows), 3)
        redeem = self.ledger(event="redeem")
        self.assertFalse((rows | redeem).move_id, "no entry while the session is open, not even for the points paid")
        self.assertEqual(self.pool.pending_entry_count, 4)
        self.assertReconciles()

        self.close_session()
        move = rows.move_id
        self.assertEqual(len(move), 1, "one entry holds every event of the session")
        self.assertEqual(set((rows | redeem).mapped("move_id")), {move})
        self.assertEqual((move.state, move.ref, move.journal_id),
                         ("posted", self.pos_session.name, self.pool.journal_id))
        self.assertEqual(move.date, self.pos_session.move_id.date)
        self.assertAlmostEqual(sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit")), places=2)
        contributions = move.line_ids.filtered(lambda line: line.account_id == self.pool.contribution_account_id)
        self.assertAlmostEqual(sum(contributions.mapped("balance")), sum(rows.mapped("amount")), places=2)
        self.pool.invalidate_recordset(["pending_entry_count"])
        self.assertEqual(self.pool.pending_entry_count, 0)
        # The closing still settles the Points payment with its redeem entry.
        member_lines = self.receivable_lines(self.member)
        self.assertEqual(sum(member_lines.mapped("balance")), 0.0)
        self.assertTrue(all(member_lines.mapped("reconciled")))
        self.assertReconciles()

    def test_events_the_pool_applies_after_the_closing_post_at_once(self):
        with self.pool_busy():
            order = self.sell()
            self.close_session()
        self.assertFalse(self.order_rows(order), "the pool has not applied the order yet")
        self.pool._apply_pending()
        row = self.order_rows(order)
        self.assertEqual(row.move_id.state, "posted", "its session is closed: nothing books it later")
        self.assertReconciles()

    def test_a_refund_in_the_next_session_waits_for_that_closing(self):
        order = self.sell(quantity=2)
        self.close_session()
        self.open_new_session()
        refund = self.sync(self.refund_data(order))
        reversal = self.ledger(event="reverse")
        self.assertEqual(reversal.source_ref, refund.lines)
        self.assertFalse(reversal.move_id)
        self.assertReconciles()
        self.close_session()
        self.assertEqual(reversal.move_id.ref, self.pos_session.name)
        self.assertReconciles()

    def test_the_scheduled_posting_books_a_session_closed_without_its_events(self):
        rows = self.order_rows(self.sell())
        # Closed another way than the POS's closing (which books the events).
        self.pos_session.write({"state": "closed"})
        self.assertFalse(rows.move_id)
        self.env["points.pool"]._cron_post_pending_entries()
        self.assertEqual(rows.move_id.state, "posted")
        self.assertReconciles()

    def test_the_scheduled_posting_leaves_an_open_sessions_events_to_its_closing(self):
        rows = self.order_rows(self.sell())
        self.env["points.pool"]._cron_post_pending_entries()
        self.assertFalse(rows.move_id)
        self.close_session()
        self.assertEqual(rows.move_id.ref, self.pos_session.name)

    def test_in_batch_mode_the_batch_books_the_events(self):
        self.pool.accounting_mode = "batch"
        rows = self.order_rows(self.sell())
        self.close_session()
        self.assertFalse(rows.move_id, "the session's closing leaves them to the batch")
        self.pool.action_post_pending_entries()
        self.assertTrue(rows.move_id)
        self.assertReconciles()

    def assertSettledPerMember(self, customers):
        """Each customer's receivable lines (closing debits, redeem credits) are fully reconciled among
        themselves."""
        for customer in customers:
            lines = self.receivable_lines(customer)
            self.assertEqual(sum(lines.mapped("balance")), 0.0)
            self.assertTrue(lines.full_reconcile_id)
            self.assertEqual(lines.full_reconcile_id.reconciled_line_ids, lines, customer.name)

    def test_points_payments_wait_for_the_closing_which_settles_them_per_member(self):
        self.other.property_account_receivable_id = self.member.property_account_receivable_id
        self.pool.contribute(self.other, 1000, 300, source=self.other)
        self.sell(payments=[(self.points_pm, 100.0), (self.bank_pm1, 900.0)])
        self.sell(customer=self.other, payments=[(self.points_pm, 50.0), (self.bank_pm1, 950.0)])
        self.sell(payments=[(self.points_pm, 80.0), (self.bank_pm1, 920.0)])
        redeems = self.ledger(event="redeem")
        self.assertEqual(len(redeems), 3)
        self.assertFalse(redeems.move_id, "the session is open: the redeems wait for its closing")
        self.assertFalse(self.receivable_lines(self.member) | self.receivable_lines(self.other))
        self.assertReconciles()
        sections = self.pool._reconciliation_sections()

        self.close_session()
        move = redeems.move_id
        self.assertEqual((len(move), move.ref, move.state), (1, self.pos_session.name, "posted"))
        credits = move.line_ids.filtered(lambda line: line.account_id == self.member.property_account_receivable_id)
        self.assertEqual(sorted(credits.mapped("credit")), [50.0, 80.0, 100.0], "one pair of lines per payment")
        self.assertEqual(sorted(credits.partner_id.ids), sorted((self.member | self.other).ids))
        self.assertSettledPerMember(self.member | self.other)
        self.assertReconciles()
        self.assertEqual([section["reference"] for section in self.pool._reconciliation_sections()],
                         [section["reference"] for section in sections], "the closing moved no balance")

    def test_a_points_payment_the_closing_missed_is_settled_by_the_scheduled_posting(self):
        self.sell(payments=[(self.points_pm, 100.0), (self.bank_pm1, 900.0)])
        redeem = self.ledger(event="redeem")
        # As if the pool applied the payment while the closing ran: the closing books nothing of it.
        with patch.object(type(self.env["pos.session"]), "_points_post_pool_events", lambda session: None):
            self.close_session()
        self.assertFalse(redeem.move_id)
        self.assertFalse(self.receivable_lines(self.member).full_reconcile_id)
        self.env["points.pool"]._cron_post_pending_entries()
        self.assertEqual(redeem.move_id.state, "posted")
        self.assertSettledPerMember(self.member)
        self.assertReconciles()

    def test_points_given_back_by_a_refund_wait_for_the_closing_too(self):
        order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)])
        self.sync(self.refund_data(order, payments=[(self.points_pm, -300.0), (self.bank_pm1, -700.0)]))
        rows = self.ledger(event="redeem") | self.ledger(event="restore")
        self.assertEqual(len(rows), 2)
        self.assertFalse(rows.move_id)
        self.assertReconciles()
        self.close_session()
        self.assertEqual(rows.move_id.ref, self.pos_session.name)
        self.assertSettledPerMember(self.member)
        self.assertReconciles()

    @mute_logger("odoo.addons.point_of_sale.models.pos_order")
    def test_an_invoiced_orders_points_payment_posts_at_once_and_settles_its_invoice(self):
        order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)], is_invoiced=True)
        redeem = self.ledger(event="redeem")
        self.assertEqual(redeem.move_id.state, "posted", "Odoo books the invoice at once: its payment too")
        self.assertEqual(order.account_move.amount_residual, 0.0)
        self.assertSettledPerMember(self.member)
        self.assertReconciles()
        entry = redeem.move_id
        self.close_session()
        self.assertEqual(redeem.move_id, entry)
        self.assertReconciles()

    def test_an_order_invoiced_while_its_session_is_open_posts_its_points_payment_then(self):
        order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)])
        redeem = self.ledger(event="redeem")
        self.assertFalse(redeem.move_id)
        order.action_pos_order_invoice()
        self.assertEqual(redeem.move_id.state, "posted")
        self.assertEqual(order.account_move.amount_residual, 0.0)
        self.assertSettledPerMember(self.member)
        self.assertReconciles()
        self.close_session()
        self.assertReconciles()

    def test_in_batch_mode_points_payments_wait_for_the_closing_or_the_batch(self):
        self.pool.accounting_mode = "batch"
        self.sell(payments=[(self.points_pm, 100.0), (self.bank_pm1, 900.0)])
        batched = self.ledger(event="redeem")
        self.assertFalse(batched.move_id)
        # The batch books whatever waits, a Points payment of an open session too: the closing still settles it.
        self.pool.action_post_pending_entries()
        self.assertTrue(batched.move_id)
        order = self.sell(payments=[(self.points_pm, 80.0), (self.bank_pm1, 920.0)])
        redeem, rows = self.ledger(event="redeem") - batched, self.order_rows(order)
        self.assertFalse((redeem | rows).move_id)
        self.close_session()
        self.assertEqual(redeem.move_id.ref, self.pos_session.name)
        self.assertFalse(rows.move_id, "the contributions wait for the batch")
        self.assertSettledPerMember(self.member)
        self.pool.action_post_pending_entries()
        self.assertTrue(rows.move_id)
        self.assertReconciles()
