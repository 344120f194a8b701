from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import Form, tagged

from odoo.addons.points_sale.tests.common import PointsSaleCase

START = datetime(2026, 3, 2, 9, 0)


@tagged("post_install", "-at_install")
class TestDeliveryRelease(PointsSaleCase):
    """Rewards frozen until delivery: the sales order's pickings set their release date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        plan = cls.env["points.allocation.plan"].create({
            "name": "Referral package", "company_id": cls.company.id,
            "line_ids": [Command.create({"bucket": bucket, "basis": "price", "value": value})
                         for bucket, value in (("referral", 33), ("pool", 30), ("cost", 20))],
        })
        cls.product.product_tmpl_id.with_company(cls.company).points_plan_id = plan
        cls.referrer = cls.env["res.partner"].create({"name": "Referrer"})
        cls.env["points.wallet"]._get_for_partner(cls.referrer, cls.company)  # a member may refer
        cls.buyer._bind_referrer(cls.referrer, via="staff", reason="delivery tests")
        cls.rule = cls.env["points.reward.rule"].create({
            "name": "Direct referrer after delivery", "rule_type": "level", "company_id": cls.company.id,
            "level": 1, "basis": "fixed", "value": 100, "freeze_mode": "delivery", "return_window_days": 7,
        })

    def paid_order(self, quantity=1):
        order = self.sell(quantity)
        self.pay(self.invoice(order))
        return order

    def rewards(self, order):
        return self.env["points.reward"].search([("order_model", "=", "sale.order"), ("order_id", "=", order.id)])

    def deliver(self, picking, quantity=None):
        """Validates ``picking`` with ``quantity`` (all by default); a shortfall leaves a backorder."""
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = quantity if quantity is not None else move.product_uom_qty
            move.picked = True
        result = picking.button_validate()
        if isinstance(result, dict):  # the backorder confirmation
            Form.from_action(self.env, result).save().process()
        self.assertEqual(picking.state, "done")

    def return_goods(self, order, quantity):
        wizard = Form(self.env["stock.return.picking"].with_context(
            active_id=order.picking_ids[:1].id, active_model="stock.picking")).save()
        wizard.product_return_moves.quantity = quantity
        return self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])

    def release_job(self, when):
        with freeze_time(when):
            self.env["points.reward"]._cron_release_rewards()
        self.env.invalidate_all()

    def test_delivery_sets_the_release_date_and_the_job_releases_at_the_end_of_the_return_window(self):
        with freeze_time(START):
            order = self.paid_order()
        reward = self.rewards(order)
        self.assertEqual((reward.partner_id, reward.amount, reward.state), (self.referrer, 100.0, "frozen"))
        self.assertFalse(reward.release_date, "the delivery is awaited")
        self.release_job(START + timedelta(days=30))
        self.assertEqual(reward.state, "frozen")
        delivered = START + timedelta(days=31)
        with freeze_time(delivered):
            self.deliver(order.picking_ids)
        self.assertEqual((reward.delivered_at, reward.release_date), (delivered, delivered + timedelta(days=7)),
                         "set when the picking is validated, not by the next job")
        self.assertEqual(order.points_delivered_at, delivered)
        self.release_job(delivered + timedelta(days=6, hours=23))
        self.assertEqual(reward.state, "frozen")
        self.release_job(delivered + timedelta(days=7, minutes=1))
        wallet = self.wallet(self.referrer)
        self.assertEqual((reward.state, wallet.frozen_balance, wallet.cash_balance), ("available", 0.0, 100.0))
        self.assertNoBreach()

    def test_a_partial_delivery_waits_for_the_backorder(self):
        with freeze_time(START):
            order = self.paid_order(quantity=2)
        with freeze_time(START + timedelta(days=1)):
            self.deliver(order.picking_ids, quantity=1)
        reward = self.rewards(order)
        self.assertTrue(order.effective_date, "sale_stock counts the first delivery")
        self.assertFalse(reward.release_date, "half the goods are still to come")
        self.release_job(START + timedelta(days=20))
        self.assertFalse(reward.release_date)
        backorder = order.picking_ids.filtered(lambda p: p.state != "done")
        completed = START + timedelta(days=25)
        with freeze_time(completed):
            self.deliver(backorder)
        self.assertEqual(reward.release_date, completed + timedelta(days=7))

    def test_cancelling_the_backorder_completes_the_delivery(self):
        with freeze_time(START):
            order = self.paid_order(quantity=2)
        shipped = START + timedelta(days=2)
        with freeze_time(shipped):
            self.deliver(order.picking_ids, quantity=1)
        with freeze_time(START + timedelta(days=4)):
            order.picking_ids.filtered(lambda p: p.state != "done").action_cancel()
        self.assertEqual(self.rewards(order).release_date, shipped + timedelta(days=7))

    def test_goods_delivered_before_payment_give_the_release_date_at_once(self):
        with freeze_time(START):
            order = self.sell()
            self.deliver(order.picking_ids)
        with freeze_time(START + timedelta(days=3)):
            self.pay(self.invoice(order))
        self.assertEqual(self.rewards(order).release_date, START + timedelta(days=7))

    def test_a_return_before_release_keeps_the_rewards_frozen_and_its_credit_note_reverses_them(self):
        with freeze_time(START):
            order = self.sell()
            self.deliver(order.picking_ids)
            invoice = self.invoice(order)
            self.pay(invoice)
        reward = self.rewards(order)
        self.assertEqual(reward.release_date, START + timedelta(days=7))
        with freeze_time(START + timedelta(days=5)):
            returned = self.return_goods(order, 1)
        self.assertFalse(reward.release_date, "the goods are on their way back")
        self.release_job(START + timedelta(days=8))
        self.assertEqual(reward.state, "frozen")
        received = START + timedelta(days=9)
        with freeze_time(received):
            self.deliver(returned)
        self.assertEqual(reward.release_date, received + timedelta(days=7), "the return restarts the window")
        with freeze_time(START + timedelta(days=10)):
            self.credit_note(invoice)
        wallet = self.wallet(self.referrer)
        self.assertEqual((reward.state, reward.net_amount, wallet.frozen_balance), ("reversed", 0.0, 0.0))
        self.release_job(received + timedelta(days=8))
        self.assertEqual((reward.state, wallet.cash_balance), ("reversed", 0.0))
        self.assertNoBreach()

    def test_a_partial_credit_note_releases_what_is_left_after_the_window(self):
        with freeze_time(START):
            order = self.sell(quantity=2)
            self.deliver(order.picking_ids)
            invoice = self.invoice(order)
            self.pay(invoice)
            self.credit_note(invoice, quantity=1)
        reward = self.rewards(order)
        self.assertEqual((reward.state, reward.net_amount), ("frozen", 100.0))
        self.release_job(START + timedelta(days=7, minutes=1))
        wallet = self.wallet(self.referrer)
        self.assertEqual((reward.state, wallet.cash_balance, wallet.frozen_balance), ("available", 100.0, 0.0))
        self.assertNoBreach()

    def test_rewards_frozen_for_days_ignore_the_delivery(self):
        self.rule.freeze_mode = "days"
        self.rule.freeze_days = 10
        with freeze_time(START):
            order = self.paid_order()
        with freeze_time(START + timedelta(days=2)):
            self.deliver(order.picking_ids)
        self.assertEqual(self.rewards(order).release_date, START + timedelta(days=10))
