from odoo.tests import tagged

from .common import PointsPosCase


@tagged("post_install", "-at_install")
class TestPosMintRatio(PointsPosCase):
    """A store's mint ratio comes before its products' categories' (then the pool's) for its POS orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.categ_basic.with_company(cls.company).points_mint_ratio = 0.5
        cls.store = cls.env["res.partner"].create({"name": "Corner Store", "points_is_merchant": True,
                                                   "points_mint_ratio": 0.6})

    def contribution(self):
        return self.ledger(event="contribute")

    def preview_earn(self):
        lines = [{"product_id": self.product.id, "qty": 1, "price_subtotal": 1000.0}]
        return self.env["pos.order"].points_preview_from_ui(self.config.id, self.member.id, lines, 0.0)["earn"]

    def test_a_pos_order_of_the_platform_mints_at_its_category_ratio_and_the_refund_takes_it_back(self):
        earn = self.preview_earn()
        order = self.sell()
        row = self.contribution()
        self.assertEqual((row.amount, row.mint_ratio, row.mint_value, row.request_id.mint_ratio),
                         (300.0, 0.5, 150.0, 0.5))
        self.assertEqual(self.wallet().points, earn, "the POS showed what the order earned")
        self.sync(self.refund_data(order))
        self.assertEqual(self.wallet().points, 0.0)
        self.assertNoBreach()

    def test_the_store_of_the_pos_sets_the_ratio_of_its_orders(self):
        self.config.points_merchant_id = self.store
        earn = self.preview_earn()
        self.sell()
        self.assertEqual((self.contribution().mint_ratio, self.contribution().mint_value), (0.6, 180.0))
        self.assertEqual(self.wallet().points, earn)
        self.assertNoBreach()
