from odoo.tests import Form, tagged

from .common import PointsSaleCase


@tagged("post_install", "-at_install")
class TestSalePoints(PointsSaleCase):
    def set_trigger(self, trigger):
        self.env["res.config.settings"].create({"points_sale_trigger": trigger}).execute()
        self.assertEqual(self.company.points_sale_trigger, trigger)

    def test_quotation_shows_points_to_earn_at_todays_price(self):
        form = Form(self.env["sale.order"])
        form.partner_id = self.buyer
        with form.order_line.new() as line:
            line.product_id = self.product
        self.assertEqual(form.points_contribution, 300.0)
        self.assertEqual(form.points_estimated, 210.0)
        order = form.save()
        self.assertEqual(self.pool.balance, 0.0, "an estimate stores nothing")
        html = self.env["ir.actions.report"]._render_qweb_html("sale.action_report_saleorder", order.ids)[0]
        self.assertIn(b"210.0000", html)
        self.assertIn(b"Points to earn on this order", html)

    def test_paid_invoice_contributes_once_by_default(self):
        self.assertEqual(self.company.points_sale_trigger, "paid")
        order = self.sell()
        invoice = self.invoice(order)
        self.assertEqual(self.pool.balance, 0.0)
        self.pay(invoice, 400.0)
        self.assertEqual(self.pool.balance, 0.0, "a partial payment contributes nothing")
        self.pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.pool.balance, 300.0)
        self.assertEqual(self.wallet().points, 210.0)
        invoice._invoice_paid_hook()
        self.assertEqual(self.pool.balance, 300.0, "the same invoice line contributes once")
        self.assertEqual(order.points_contributed, 210.0)
        self.assertNoBreach()

    def test_posting_trigger_contributes_when_the_invoice_is_posted(self):
        self.set_trigger("posted")
        order = self.sell()
        self.assertEqual(self.pool.balance, 0.0)
        invoice = self.invoice(order)
        self.assertEqual(self.pool.balance, 300.0)
        self.pay(invoice)
        self.assertEqual(self.pool.balance, 300.0)
        self.assertNoBreach()

    def test_confirmation_trigger_contributes_on_confirm_and_cancel_reverses(self):
        self.set_trigger("confirm")
        order = self.sell(quantity=2)
        self.assertEqual(self.pool.balance, 600.0)
        self.assertEqual(self.wallet().points, 420.0)
        order._action_cancel()
        self.assertEqual(self.wallet().points, 0.0)
        self.assertEqual(order.points_contributed, 0.0)
        self.assertNoBreach()

    def test_partial_and_double_credit_notes_reverse_at_most_the_line(self):
        other = self.env["res.partner"].create({"name": "Other buyer"})
        self.pay(self.invoice(self.sell(partner=other)))
        invoice = self.invoice(self.sell(quantity=10))
        self.pay(invoice)
        minted = self.wallet().points
        price = self.pool.price
        self.credit_note(invoice, quantity=4)
        self.assertAlmostEqual(self.wallet().points, minted * 0.6, places=3)
        self.assertGreaterEqual(self.pool.price, price)
        price = self.pool.price
        self.credit_note(invoice)
        self.assertEqual(self.wallet().points, 0.0)
        self.assertGreaterEqual(self.pool.price, price)
        ledger_rows = self.env["points.ledger"].search_count([("pool_id", "=", self.pool.id)])
        self.credit_note(invoice)
        self.assertEqual(self.env["points.ledger"].search_count([("pool_id", "=", self.pool.id)]), ledger_rows,
                         "a third credit note finds nothing left to reverse")
        self.assertNoBreach()

    def test_credit_note_before_payment_nets_the_contribution(self):
        invoice = self.invoice(self.sell(quantity=2))
        self.credit_note(invoice, quantity=1)
        self.pay(invoice)
        self.assertEqual(self.wallet().points, 210.0, "half refunded before payment: half the points stay")
        self.assertNoBreach()

    def test_invoice_back_to_draft_reverses_its_contribution(self):
        self.set_trigger("posted")
        invoice = self.invoice(self.sell())
        self.assertEqual(self.wallet().points, 210.0)
        invoice.button_draft()
        self.assertEqual(self.wallet().points, 0.0)
        self.assertNoBreach()

    def test_store_order_contributes_on_the_platform_commission(self):
        plan = self.env["points.allocation.plan"].create({
            "name": "Store", "company_id": self.company.id,
            "line_ids": [(0, 0, {"bucket": "pool", "basis": "commission", "value": 80}),
                         (0, 0, {"bucket": "platform", "basis": "commission", "value": 20})],
        })
        self.product.product_tmpl_id.points_plan_id = plan
        store = self.env["res.partner"].create({"name": "Store", "points_is_merchant": True, "points_take_rate": 0.2})
        order = self.sell()
        order.points_merchant_id = store
        self.pay(self.invoice(order))
        row = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "contribute")])
        self.assertEqual((row.amount, row.mint_value), (160.0, 112.0))
