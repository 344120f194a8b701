from copy import deepcopy

from odoo.fields import Command

from odoo.addons.point_of_sale.tests.common import TestPoSCommon
from odoo.addons.points_allocation.tests.common import pool_busy


class PointsPosCase(TestPoSCommon):
    """A shop with a Points payment method, an open session, a 1000.00 product (30% to the pool by the
    company's default plan) and two customers; the pool has the SPEC §3.4 parameters."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("points_pool.group_points_manager")
        cls.pool = cls.env["points.pool"]._get_for_company(cls.company)
        cls.points_pm = cls.env["pos.payment.method"].create({
            "name": "Points", "points_payment": True, "split_transactions": True})
        cls.basic_config.payment_method_ids = [Command.link(cls.points_pm.id)]
        cls.product = cls.create_product("Gift package", cls.categ_basic, 1000.0, 200.0)
        cls.member, cls.other = cls.customer, cls.other_customer

    def setUp(self):
        super().setUp()
        self.config = self.basic_config
        self.open_new_session()

    # -- orders ----------------------------------------------------------------------------
    def order_data(self, quantity=1, customer=None, payments=None, lines=None, is_invoiced=False, **values):
        """The data the POS sends for an order; ``values`` set further order fields."""
        data = self.create_ui_order_data(lines or [(self.product, quantity)], customer=customer,
                                         payments=payments, is_invoiced=is_invoiced)
        # The POS sends the access token it loaded (none yet for a new order).
        data.update({"access_token": False, **values})
        return data

    def sync(self, *orders_data):
        """Sends orders as the POS does; returns the pos.order records (a copy of the data is sent)."""
        return self.env["pos.order"].browse([order["id"] for order in self.sync_data(*orders_data)])

    def sync_data(self, *orders_data):
        """Sends orders as the POS does; returns the orders' data the POS receives back."""
        return self.env["pos.order"].sync_from_ui([deepcopy(data) for data in orders_data])["pos.order"]

    def sell(self, quantity=1, customer=None, payments=None, **kwargs):
        return self.sync(self.order_data(quantity, customer or self.member, payments, **kwargs))

    def refund_data(self, order, quantity=1, payments=None):
        line = order.lines[:1]
        return self.create_ui_order_data(
            [{"product": line.product_id, "quantity": -quantity, "refunded_orderline_id": line.id}],
            customer=order.partner_id, payments=payments)

    # -- state -----------------------------------------------------------------------------
    def wallet(self, partner=None):
        return self.env["points.wallet"]._get_for_partner(partner or self.member, self.company)

    def ledger(self, **values):
        domain = [("pool_id", "=", self.pool.id)] + [(name, "=", value) for name, value in values.items()]
        return self.env["points.ledger"].search(domain)

    def snapshot(self):
        """Everything an order may change, to prove that a refused order changed nothing."""
        self.env.invalidate_all()
        return (
            self.pool.balance, self.pool.circulating_points,
            self.env["points.ledger"].search_count([("pool_id", "=", self.pool.id)]),
            self.wallet().points, self.env["pos.order"].search_count([("session_id", "=", self.pos_session.id)]),
            self.env["pos.payment"].search_count([("session_id", "=", self.pos_session.id)]),
        )

    def pool_busy(self):
        """Inside, the pool's requests stay pending (see points_allocation's ``pool_busy``)."""
        return pool_busy(self.env)

    def assertNoBreach(self):
        self.assertEqual(self.pool._integrity_breaches(), [])

    def close_session(self):
        """Closes the open session as the POS does; asserts it closed."""
        self.pos_session.post_closing_cash_details(0)
        self.pos_session.close_session_from_ui()
        self.assertEqual(self.pos_session.state, "closed")

    def receivable_lines(self, customer):
        """The customer's posted lines on their receivable account."""
        return self.env["account.move.line"].search([
            ("account_id", "=", customer.property_account_receivable_id.id), ("partner_id", "=", customer.id),
            ("parent_state", "=", "posted")])
