from odoo.tests import tagged

from .common import PortalCase, PortalHttpCase
from ..models.points_input import MemberError


@tagged("post_install", "-at_install")
class TestPayeeService(PortalCase):
    """Members keep their own payees and name one on a withdrawal request."""

    def test_members_add_list_and_remove_only_their_own_payees(self):
        service_a, service_b = self.service(self.user_a), self.service(self.user_b)
        card = service_a._add_payee("bank_card", "6222 0212 3456 7890", "Member A", bank_name="ICBC",
                                    bank_branch="Pudong")
        alipay = service_b._add_payee("alipay", "b@163.com", "Member B")
        self.assertEqual(service_a._payees(), card)
        self.assertEqual(service_b._payees(), alipay)
        self.assertEqual(self.serialize(self.user_a).payee(card)["account"], "**** 7890")
        self.assertEqual(self.serialize(self.user_b).payee(alipay)["display_name"], "Alipay ***@163.com")
        self.assertNotIn("6222", str(self.serialize(self.user_a).payee(card)))
        with self.assertRaises(MemberError) as refused:
            service_a._remove_payee(alipay.id)
        self.assertEqual(refused.exception.code, "not_found")
        service_a._remove_payee(card.id)
        self.assertFalse(service_a._payees())

    def test_bad_payee_details_are_invalid_input(self):
        service = self.service(self.user_a)
        for args in (("paypal", "x", "A"), ("alipay", "", "A"), ("alipay", "x" * 65, "A"),
                     ("bank_card", "1234", "A"), (None, "x", "A"), ("wechat", "wx", None)):
            with self.subTest(args=args), self.assertRaises(MemberError) as refused:
                service._add_payee(*args)
            self.assertEqual(refused.exception.code, "invalid_input")

    def test_a_withdrawal_names_the_members_own_payee(self):
        service_a, service_b = self.service(self.user_a), self.service(self.user_b)
        wechat = service_a._add_payee("wechat", "wxid_member_a", "Member A")
        other = service_b._add_payee("wechat", "wxid_member_b", "Member B")
        with self.assertRaises(MemberError) as refused:
            service_a._request_withdrawal("5", payee_id=other.id)
        self.assertEqual(refused.exception.code, "not_found")
        withdrawal = service_a._request_withdrawal("5", payee_id=wechat.id)
        data = self.serialize(self.user_a).withdrawal(withdrawal)
        self.assertEqual(data["payee"]["id"], wechat.id)
        self.assertEqual((data["paid"], data["net_label"]), (0.0, "Net to pay"))


@tagged("post_install", "-at_install")
class TestPayeeApi(PortalHttpCase):
    def test_payees_over_the_api(self):
        status, data = self.api("POST", "/payees", self.token_a, {
            "method": "alipay", "account": "13800138000", "holder_name": "Member A"})
        self.assertEqual((status, data["account"], data["bank_name"]), (201, "**** 8000", None))
        payee_id = data["id"]
        status, page = self.api("GET", "/payees", self.token_a)
        self.assertEqual((status, [item["id"] for item in page["items"]]), (200, [payee_id]))
        status, page = self.api("GET", "/payees", self.token_b)
        self.assertEqual(page["items"], [])
        self.assertApiError(self.api("POST", "/payees", self.token_a, {"method": "bank_card", "account": "12",
                                                                      "holder_name": "A"}), 400, "invalid_input")
        self.assertApiError(self.api("POST", f"/payees/{payee_id}/remove", self.token_b), 404, "not_found")
        self.assertApiError(self.api("POST", "/withdrawals", self.token_b, {"amount": "5", "payee_id": payee_id}),
                            404, "not_found")
        status, withdrawal = self.api("POST", "/withdrawals", self.token_a, {"amount": "5", "payee_id": payee_id})
        self.assertEqual((status, withdrawal["payee"]["id"], withdrawal["paid"]), (201, payee_id, 0.0))
        status, data = self.api("POST", f"/payees/{payee_id}/remove", self.token_a)
        self.assertEqual((status, data["active"]), (200, False))
