from unittest.mock import patch

from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import PointsPosCase


@tagged("post_install", "-at_install")
class TestPosPoints(PointsPosCase):
    def test_paid_order_of_a_member_earns_points(self):
        order = self.sell(quantity=2)
        self.assertEqual(order.state, "paid")
        self.assertEqual(self.pool.balance, 600.0)
        self.assertEqual(self.wallet().points, 420.0)
        self.assertEqual((order.points_earned, order.points_used, order.points_balance), (420.0, 0.0, 420.0))
        self.assertEqual(order.points_sync_key, order.uuid)
        contribution = self.ledger(event="contribute")
        self.assertEqual(contribution.source_ref, order.lines)
        allocations = self.env["points.allocation"]._for_lines(order.lines)
        self.assertEqual(allocations.mapped("bucket"), ["pool"])
        self.assertEqual(allocations.order_ref, order)
        self.assertNoBreach()

    def test_an_order_synced_twice_counts_once(self):
        data = self.order_data(customer=self.member)
        first = self.sync(data)
        second = self.sync(data)
        self.assertEqual(first, second)
        self.assertEqual(self.env["pos.order"].search_count([("uuid", "=", data["uuid"])]), 1)
        self.assertEqual(len(self.ledger(event="contribute")), 1)
        self.assertEqual(self.wallet().points, 210.0)

    def test_offline_order_saved_as_draft_then_paid_earns_once(self):
        data = self.order_data(customer=self.member)
        # Parked unpaid, then paid: the second sync sends the payment, the lines are already on the server.
        draft = self.sync(dict(data, state="draft", payment_ids=[], amount_paid=0))
        self.assertEqual((draft.state, self.pool.balance), ("draft", 0.0))
        paid = self.sync(dict(data, lines=[]))
        self.assertEqual((paid, paid.state), (draft, "paid"))
        self.sync(data)
        self.assertEqual(self.wallet().points, 210.0)
        self.assertEqual(len(self.ledger(event="contribute")), 1)

    @mute_logger("odoo.addons.points_pos.models.pos_order")
    def test_a_second_order_record_of_a_processed_uuid_moves_nothing(self):
        # Two syncs of one uuid racing each other both create an order: only the first moves points.
        data = self.order_data(customer=self.member)
        self.sync(data)
        with patch.object(type(self.env["pos.order"]), "_get_open_order", lambda self, order: self.browse()):
            duplicate = self.sync(data)
        self.assertEqual(self.env["pos.order"].search_count([("uuid", "=", data["uuid"])]), 2)
        self.assertFalse(duplicate.points_sync_key)
        self.assertEqual(duplicate.points_earned, 0.0)
        self.assertEqual(self.wallet().points, 210.0)
        self.assertNoBreach()

    def test_orders_without_customer_earn_nothing(self):
        order = self.sync(self.order_data())
        self.assertEqual(order.state, "paid")
        self.assertFalse(order.points_sync_key)
        self.assertEqual(self.pool.balance, 0.0)
        self.assertFalse(self.env["points.allocation"]._for_lines(order.lines))

    def test_a_blocked_member_earns_nothing_and_the_order_still_syncs(self):
        self.wallet().action_block()
        order = self.sell()
        self.assertEqual(order.state, "paid")
        self.assertEqual((self.pool.balance, self.wallet().points), (0.0, 0.0))

    def test_refunds_reverse_pro_rata_and_never_beyond_the_line(self):
        order = self.sell(quantity=4)
        self.sell(customer=self.other)
        minted, price = self.wallet().points, self.pool.price
        refund = self.sync(self.refund_data(order, 1))
        self.assertEqual(refund.state, "paid")
        self.assertAlmostEqual(self.wallet().points, minted * 3 / 4, places=3)
        self.assertAlmostEqual(refund.points_reversed, minted / 4, places=3)
        self.assertAlmostEqual(refund.points_balance, self.wallet().points, places=4)
        self.assertGreaterEqual(self.pool.price, price)
        # The same refund synced again changes nothing.
        rows = len(self.ledger())
        self.sync(self.refund_data(order, 1) | {"uuid": refund.uuid})
        self.assertEqual(len(self.ledger()), rows)
        # Refunding the other three takes exactly what is left of the line.
        self.sync(self.refund_data(order, 3))
        self.assertEqual(self.wallet().points, 0.0)
        self.assertEqual(self.env["points.allocation"]._for_lines(order.lines).reversed_ratio, 1.0)
        self.assertEqual(self.ledger(event="contribute", source_model="pos.order.line",
                                     source_id=order.lines.id).reversed_ratio, 1.0)
        self.assertNoBreach()

    def test_refund_from_the_back_office_reverses_the_points(self):
        order = self.sell(quantity=2)
        refund = order.browse(order.refund()["res_id"])
        payment = self.env["pos.make.payment"].with_context(active_id=refund.id, active_ids=refund.ids).create({
            "payment_method_id": self.cash_pm1.id, "amount": refund.amount_total})
        payment.check()
        self.assertEqual(refund.state, "paid")
        self.assertEqual(self.wallet().points, 0.0)
        self.assertEqual(refund.points_reversed, 420.0)
        self.assertNoBreach()

    def test_store_take_rate_is_the_basis_of_commission_buckets(self):
        plan = self.env["points.allocation.plan"].create({
            "name": "Store", "company_id": self.company.id,
            "line_ids": [Command.create({"bucket": "pool", "basis": "commission", "value": 80}),
                         Command.create({"bucket": "platform", "basis": "commission", "value": 20})],
        })
        self.product.product_tmpl_id.with_company(self.company).points_plan_id = plan
        self.config.points_take_rate = 0.2
        self.sell()
        contribution = self.ledger(event="contribute")
        self.assertEqual((contribution.amount, contribution.mint_value), (160.0, 112.0))

    def test_preview_shows_what_validation_mints(self):
        self.pool.contribute(self.other, 1000, 300, source=self.other)
        self.pool.contribute(self.member, 500, 150, source=self.member)
        second = self.create_product("Tea", self.categ_basic, 37.5, 10.0)
        lines = [{"product_id": self.product.id, "qty": 3, "price_subtotal": 3000.0},
                 {"product_id": second.id, "qty": 2, "price_subtotal": 75.0}]
        preview = self.env["pos.order"].points_preview_from_ui(self.config.id, self.member.id, lines, 50.0)
        wallet = self.wallet()
        self.assertTrue(preview["member"])
        self.assertEqual(preview["points"], wallet.points)
        # One rounding: what the points are worth is what they can pay (the redeem value, rounded down).
        self.assertEqual(preview["value"], float(self.pool._redeem_value(wallet.points)))
        self.assertEqual(preview["value"], preview["payable"])
        self.assertEqual(preview["price"], self.pool.price)
        self.assertEqual(self.ledger(event="contribute").mapped("amount"), [150.0, 300.0], "a preview stores nothing")
        order = self.sell(customer=self.member, lines=[(self.product, 3), (second, 2)],
                          payments=[(self.points_pm, 50.0), (self.cash_pm1, 3025.0)])
        self.assertEqual(order.points_used, preview["points_to_use"])
        self.assertEqual(order.points_earned, preview["earn"])
        # 50.00 of 3075.00 paid with points earns nothing (the pool default): 922.50 × 3025 / 3075.
        self.assertEqual(preview["contribution"], 907.5)

    def test_preview_for_a_customer_who_is_not_a_member(self):
        preview = self.env["pos.order"].points_preview_from_ui(self.config.id, False, [], 0.0)
        self.assertFalse(preview["member"])
        self.assertEqual(preview["price"], 1.0)

    def test_pos_loads_points_of_customers_and_service_points(self):
        self.pool.contribute(self.member, 1000, 300, source=self.member)
        service_point = self.env["res.partner"].create({"name": "Pickup corner", "points_is_service_point": True})
        data = self.pos_session.load_data(["pos.config", "pos.order", "res.partner", "pos.payment.method"])
        partners = {partner["id"]: partner for partner in data["res.partner"]["data"]}
        self.assertIn(service_point.id, partners)
        self.assertTrue(partners[service_point.id]["points_is_service_point"])
        member = self.member.with_company(self.company)
        self.assertEqual((member.points_pos_balance, member.points_pos_value), (210.0, 300.0))
        self.assertIn("points_pos_balance", data["res.partner"]["fields"])
        methods = {method["id"]: method for method in data["pos.payment.method"]["data"]}
        self.assertTrue(methods[self.points_pm.id]["points_payment"])
        self.assertEqual(data["pos.config"]["data"][0]["points_price"], self.pool.price)

    def test_store_take_rate_is_set_in_the_pos_settings(self):
        settings = self.env["res.config.settings"].create({
            "pos_config_id": self.config.id, "pos_points_take_rate": 0.15})
        settings.execute()
        self.assertEqual(self.config.points_take_rate, 0.15)
        self.assertGreaterEqual(settings.points_pos_payment_method_count, 1)

    def test_settings_page_counts_the_points_payment_methods_and_service_points(self):
        """The Settings page (a new record the web client fills by onchange) counts what the company has."""
        def counts():
            env = self.env(context=dict(self.env.context, allowed_company_ids=self.company.ids))
            settings = Form(env["res.config.settings"])
            return settings.points_pos_payment_method_count, settings.points_service_point_count

        methods = self.env["pos.payment.method"].search_count(
            [("points_payment", "=", True), ("company_id", "in", (self.company.id, False))])
        points = self.env["res.partner"].search_count(
            [("points_is_service_point", "=", True), ("company_id", "in", (self.company.id, False))])
        self.assertGreaterEqual(methods, 1, "the shop's Points method is counted")
        self.assertEqual(counts(), (methods, points))
        self.env["pos.payment.method"].create({
            "name": "Points (second shop)", "points_payment": True, "split_transactions": True})
        self.env["res.partner"].create({"name": "Counter corner", "points_is_service_point": True})
        self.assertEqual(counts(), (methods + 1, points + 1))
