from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.points_sale.tests.common import PointsSaleCase


@tagged("post_install", "-at_install")
class TestSaleReferral(PointsSaleCase):
    """Binding by the first order, through sales orders (SPEC §5)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.referrer = Partner.create({"name": "Referrer"})
        cls.other_referrer = Partner.create({"name": "Other Referrer"})
        for referrer in (cls.referrer, cls.other_referrer):  # members: they hold a wallet
            cls.env["points.wallet"]._get_for_partner(referrer, cls.company)
        cls.env["ir.config_parameter"].sudo().set_param("points_referral.binding_mode", "once")

    def sell_referred(self, referrer=None, code=None, partner=None):
        form = Form(self.env["sale.order"])
        form.partner_id = partner or self.buyer
        if code:
            form.points_referral_code = code
        elif referrer:
            form.points_referrer_id = referrer
        with form.order_line.new() as line:
            line.product_id = self.product
        order = form.save()
        order.action_confirm()
        return order

    def paid(self, order):
        self.pay(self.invoice(order))
        return order

    def test_first_paid_order_binds_the_customer_to_the_referrer_it_names(self):
        order = self.sell_referred(code=self.referrer.referral_code.lower())
        self.assertEqual(order.points_referrer_id, self.referrer)
        self.assertFalse(self.buyer.referrer_id, "a confirmed order binds nobody until it is paid")
        self.paid(order)
        self.assertEqual(self.buyer.referrer_id, self.referrer)
        move = self.env["points.referral.move"].search([("partner_id", "=", self.buyer.id)])
        self.assertEqual(move.mapped("via"), ["order"])
        self.assertNoBreach()

    def test_an_unknown_code_is_refused_on_the_form(self):
        form = Form(self.env["sale.order"])
        form.partner_id = self.buyer
        with self.assertRaisesRegex(UserError, "No member has the referral code"):
            form.points_referral_code = "NOSUCHCODE"

    def test_a_bound_customer_is_not_rebound_by_a_later_order(self):
        self.paid(self.sell_referred(self.referrer))
        order = self.sell_referred(partner=self.buyer)
        self.assertEqual(order.points_referrer_id, self.referrer, "the order shows the customer's referrer")
        order.points_referrer_id = self.other_referrer  # a stale order naming someone else binds nothing
        self.paid(order)
        self.assertEqual(self.buyer.referrer_id, self.referrer)

    def test_the_customer_themself_or_their_downline_cannot_be_named(self):
        referee = self.env["res.partner"].create({"name": "Referee of the buyer"})
        for member in (self.buyer, referee):
            self.env["points.wallet"]._get_for_partner(member, self.company)
        referee.sudo()._bind_referrer(self.buyer, via="staff", reason="test set-up")
        for referrer, message in ((self.buyer, "own referrer"), (referee, "make a loop")):
            with self.assertRaisesRegex(ValidationError, message):
                self.sell_referred(referrer)
        self.assertFalse(self.buyer.referrer_id)

    def test_a_refused_binding_is_logged_on_the_order_and_does_not_block_the_payment(self):
        self.paid(self.sell())  # the customer ordered before, without a referrer
        order = self.paid(self.sell_referred(self.referrer))
        self.assertFalse(self.buyer.referrer_id, "only the first order binds")
        self.assertIn("not bound", order.message_ids[:1].body)
        self.assertTrue(order.invoice_ids.filtered(lambda move: move.payment_state in ("paid", "in_payment")))
        self.assertNoBreach()

    def test_an_accountant_who_cannot_read_the_order_records_the_binding_payment(self):
        order = self.sell_referred(self.referrer)
        invoice = self.invoice(order)
        accountant = self.env["res.users"].create({
            "name": "Accountant", "login": "accountant_referral", "company_id": self.company.id,
            "company_ids": [(6, 0, self.company.ids)],
            "groups_id": [(6, 0, [self.env.ref("account.group_account_invoice").id,
                                  self.env.ref("sales_team.group_sale_salesman").id])],
        })
        wizard = self.env["account.payment.register"].with_user(accountant).with_context(
            active_model="account.move", active_ids=invoice.ids).create({})
        wizard._create_payments()
        self.assertEqual(self.buyer.referrer_id, self.referrer)
        self.assertTrue(self.wallet().points, "the order's lines contributed too")

    def test_a_refund_does_not_unbind(self):
        invoice = self.invoice(self.sell_referred(self.referrer))
        self.pay(invoice)
        self.credit_note(invoice)
        self.assertEqual(self.buyer.referrer_id, self.referrer)
        self.assertNoBreach()
