from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import PointsSaleCase


@tagged("post_install", "-at_install")
class TestMintRatioOfSales(PointsSaleCase):
    """Mint ratio per product category or per store (自定义): store, then category (nearest parent), then pool."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        cls.parent = Category.create({"name": "Gifts"})
        cls.child = Category.create({"name": "Gift boxes", "parent_id": cls.parent.id})
        cls.product.categ_id = cls.child
        cls.parent.with_company(cls.company).points_mint_ratio = 0.5
        cls.store = cls.env["res.partner"].create({"name": "Corner Store", "points_is_merchant": True,
                                                   "points_mint_ratio": 0.6})

    def paid_order(self, store=None):
        form = Form(self.env["sale.order"])
        form.partner_id = self.buyer
        if store:
            form.points_merchant_id = store
        with form.order_line.new() as line:
            line.product_id = self.product
        order = form.save()
        estimate = order.points_estimated
        order.action_confirm()
        invoice = self.invoice(order)
        self.pay(invoice)
        return order, invoice, estimate

    def contribution(self):
        return self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "contribute")])

    def test_the_nearest_parent_category_sets_the_ratio_of_a_paid_order(self):
        _order, invoice, estimate = self.paid_order()
        row = self.contribution()
        self.assertEqual((row.amount, row.mint_ratio, row.mint_value), (300.0, 0.5, 150.0))
        self.assertEqual(row.request_id.mint_ratio, 0.5, "the request carries the ratio")
        self.assertEqual(self.wallet().points, 150.0, "the first points at the initial price of 1.00")
        self.assertEqual(estimate, 150.0, "the quotation estimates at the same ratio")
        self.assertEqual(self.pool.balance, 300.0, "the whole contribution enters the pool")
        self.credit_note(invoice)
        self.assertEqual(self.wallet().points, 0.0, "the credit note takes the points back")
        self.assertNoBreach()

    def test_the_child_category_comes_before_its_parent(self):
        self.child.with_company(self.company).points_mint_ratio = 0.4
        self.paid_order()
        self.assertEqual((self.contribution().mint_ratio, self.wallet().points), (0.4, 120.0))

    def test_the_store_comes_before_the_category(self):
        _order, _invoice, estimate = self.paid_order(store=self.store)
        self.assertEqual((self.contribution().mint_ratio, self.contribution().mint_value), (0.6, 180.0))
        self.assertEqual(estimate, 180.0)
        self.assertNoBreach()

    def test_without_a_ratio_of_its_own_a_line_mints_at_the_pools(self):
        self.parent.with_company(self.company).points_mint_ratio = 0
        self.paid_order()
        row = self.contribution()
        self.assertEqual((row.mint_ratio, row.mint_value, row.request_id.mint_ratio), (0.7, 210.0, 0.0))

    def test_ratios_outside_zero_to_one_are_refused(self):
        for value in (1.0, 1.5, -0.1):
            with self.subTest(value=value):
                with self.assertRaises(ValidationError), self.env.cr.savepoint():
                    self.child.with_company(self.company).points_mint_ratio = value
                with self.assertRaises(ValidationError), self.env.cr.savepoint():
                    self.store.points_mint_ratio = value
        balance, count = self.pool.balance, self.env["points.pool.request"].search_count([])
        for value in (0, 1, -0.5, 7):
            with self.subTest(value=value), self.assertRaisesRegex(UserError, "mint ratio"):
                self.pool.contribute(self.buyer, 1000, 300, source=self.product, mint_ratio=value)
        self.assertEqual((self.pool.balance, self.env["points.pool.request"].search_count([])), (balance, count))
