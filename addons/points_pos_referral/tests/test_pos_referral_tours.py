from odoo.tests import tagged

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon


@tagged("post_install", "-at_install")
class TestPosReferralTours(TestPointOfSaleHttpCommon):
    """The cashier scans a member's share link on the order, in Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("points_referral.binding_mode", "once")
        cls.package = cls.env["product.product"].create({
            "name": "Gift Package", "available_in_pos": True, "list_price": 1000.0, "standard_price": 200.0,
            "taxes_id": False,
        })
        Partner = cls.env["res.partner"]
        cls.referrer = Partner.create({"name": "Li Referrer"})
        cls.newcomer = Partner.create({"name": "Zhao Newcomer"})
        cls.regular = Partner.create({"name": "Qian Regular"})
        company = cls.main_pos_config.company_id
        pool = cls.env["points.pool"]._get_for_company(company)
        # Only members (partners with a wallet in the company's pool) refer.
        cls.env["points.wallet"]._get_for_partner(cls.referrer, company)
        cls.referrer.referral_code = "TOURREF1"
        # The regular customer ordered before: an order no longer binds them.
        cls.env["points.team.stat"].sudo()._add_order(cls.regular, company, 100.0, orders=1)
        cls.pool = pool

    def test_the_first_pos_order_binds_the_customer_to_the_scanned_referrer(self):
        self.start_pos_tour("points_pos_referral_bind_tour")
        order = self.env["pos.order"].search([("partner_id", "=", self.newcomer.id)])
        self.assertEqual((order.state, order.points_referrer_id), ("paid", self.referrer))
        self.assertEqual(self.newcomer.referrer_id, self.referrer)
        self.assertEqual(self.pool._integrity_breaches(), [])

    def test_a_refused_binding_is_shown_to_the_cashier_and_the_order_is_paid(self):
        self.start_pos_tour("points_pos_referral_refused_tour")
        order = self.env["pos.order"].search([("partner_id", "=", self.regular.id)])
        self.assertEqual(order.state, "paid")
        self.assertFalse(self.regular.referrer_id)
        self.assertIn("ordered before", order.points_referral_refusal)
