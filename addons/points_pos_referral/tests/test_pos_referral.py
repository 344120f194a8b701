from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.points_pos.tests.common import PointsPosCase


@tagged("post_install", "-at_install")
class TestPosReferral(PointsPosCase):
    """Binding by the first order at the store counter (SPEC §5)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.referrer = cls.env["res.partner"].create({"name": "Referrer"})
        # Only members (partners with a wallet in the company's pool) refer and have codes.
        for partner in cls.referrer | cls.member | cls.other:
            cls.env["points.wallet"]._get_for_partner(partner, cls.company)
        cls.env["ir.config_parameter"].sudo().set_param("points_referral.binding_mode", "once")

    def from_ui(self, text, partner=None):
        return self.env["pos.order"].points_referrer_from_ui(self.config.id, text, partner.id if partner else False)

    def test_first_paid_pos_order_binds_the_customer_to_the_referrer_it_names(self):
        order = self.sell(points_referrer_id=self.referrer.id)
        self.assertEqual(order.points_referrer_id, self.referrer)
        self.assertEqual(self.member.referrer_id, self.referrer)
        self.assertFalse(order.points_referral_refusal)
        move = self.env["points.referral.move"].search([("partner_id", "=", self.member.id)])
        self.assertEqual(move.mapped("via"), ["order"])
        self.assertNoBreach()

    def test_an_unpaid_order_binds_nobody(self):
        self.sync(self.order_data(customer=self.member, points_referrer_id=self.referrer.id, state="draft"))
        self.assertFalse(self.member.referrer_id)

    def test_the_cashier_scans_a_code_or_a_share_link(self):
        code = self.referrer.referral_code
        expected = {"id": self.referrer.id, "name": "Referrer"}
        for text in (code, f"  {code.lower()} ", f"https://shop.example/points/r/{code}",
                     f"https://shop.example/points/r/{code.lower()}?utm_source=qr#top"):
            self.assertEqual(self.from_ui(text, self.member), expected, text)

    def test_an_unknown_code_or_an_empty_scan_is_refused_clearly(self):
        with self.assertRaisesRegex(UserError, "No member has the referral code NOSUCHCODE"):
            self.from_ui("nosuchcode")
        for text in ("   ", "https://shop.example/points/r/"):
            with self.assertRaisesRegex(UserError, "Scan or type"):
                self.from_ui(text)

    def test_the_customer_themself_or_a_bound_customer_is_refused_when_scanned(self):
        with self.assertRaisesRegex(UserError, "own referrer"):
            self.from_ui(self.member.referral_code, self.member)
        self.member.sudo()._bind_referrer(self.other, via="staff", reason="test set-up")
        with self.assertRaisesRegex(UserError, "already referred by"):
            self.from_ui(self.referrer.referral_code, self.member)
        self.assertEqual(self.from_ui(self.other.referral_code, self.member)["id"], self.other.id)

    def test_a_refused_binding_is_kept_on_the_order_and_does_not_block_the_payment(self):
        self.sell()  # the customer ordered before, without a referrer
        order = self.sell(points_referrer_id=self.referrer.id)
        self.assertEqual(order.state, "paid")
        self.assertTrue(order.points_earned)
        self.assertFalse(self.member.referrer_id, "only the first order binds")
        self.assertIn("was not bound to Referrer", order.points_referral_refusal)
        self.assertIn("ordered before", order.points_referral_refusal)
        self.assertIn("not bound", order.message_ids[:1].body)
        self.assertNoBreach()

    def test_an_order_earning_nothing_says_why_it_bound_nobody(self):
        self.wallet().sudo().state = "blocked"
        order = self.sell(points_referrer_id=self.referrer.id)
        self.assertEqual(order.state, "paid")
        self.assertFalse(self.member.referrer_id)
        self.assertIn("no line of the order earned points", order.points_referral_refusal)

    def test_the_pos_cannot_write_the_refusal(self):
        order = self.sell(points_referrer_id=self.referrer.id, points_referral_refusal="forged")
        self.assertFalse(order.points_referral_refusal)

    def test_the_pos_loads_the_referrer_of_its_draft_orders(self):
        draft = self.sync(self.order_data(customer=self.member, points_referrer_id=self.referrer.id, state="draft"))
        data = self.pos_session.load_data(["pos.config", "pos.order", "res.partner"])
        orders = {order["id"]: order for order in data["pos.order"]["data"]}
        self.assertEqual(orders[draft.id]["points_referrer_id"], self.referrer.id)
