import re

from odoo.tests import JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .common import PortalHttpCase


@tagged("post_install", "-at_install")
class TestPortalHttp(PortalHttpCase):
    """The /my/points pages over HTTP, signed in as member A."""

    def setUp(self):
        super().setUp()
        self.authenticate("member_a", "member_a")

    def page(self, url, status=200):
        response = self.url_open(url)
        self.assertEqual(response.status_code, status, url)
        return response.text

    def post(self, url, **data):
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.page("/my/points")).group(1)
        return self.url_open(url, data=dict(data, csrf_token=token))

    def test_every_page_renders_for_the_member(self):
        html = self.page("/my/points")
        self.assertIn("o_points_wallet", html)
        self.assertIn("<polyline", html, "the price chart")
        self.assertIn("not a deposit", html, "the disclosure")
        self.assertIn(self.a.referral_code, html)
        self.assertIn("Sale of points", self.page("/my/points/ledger?event=sell&sortby=date_asc"))
        self.assertIn("o_points_withdrawal_form", self.page("/my/points/withdrawals"))
        team = self.page("/my/points/team")
        self.assertIn("o_points_bind_form", team)
        self.assertIn("/points/r/", team)
        self.assertIn("data:image/png;base64", team, "the QR code")
        self.assertIn("No rewards yet", self.page("/my/points/rewards"))
        self.assertIn("/my/points", self.page("/my"))
        self.page("/my/points/transfer", status=404)
        self.pool.transfer_enabled = True
        self.assertIn("o_points_transfer_form", self.page("/my/points/transfer"))

    def test_home_counter_shows_the_points_held(self):
        response = self.make_jsonrpc_request("/my/counters", {"counters": ["points_count"]})
        self.assertEqual(response["points_count"], "%.2f" % self.wallet_of(self.a).points)

    def test_pages_need_a_signed_in_member(self):
        self.logout()
        response = self.url_open("/my/points", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_member_sees_no_data_of_another_member(self):
        self.authenticate("member_b", "member_b")
        html = self.page("/my/points/withdrawals")
        self.assertIn(self.withdrawal_b.name, html)
        self.assertIn("o_points_reward_row", self.page("/my/points/rewards"))
        self.authenticate("member_a", "member_a")
        self.assertNotIn(self.withdrawal_b.name, self.page("/my/points/withdrawals"))
        self.assertNotIn("o_points_reward_row", self.page("/my/points/rewards"))

    def test_cancelling_another_members_withdrawal_is_not_found(self):
        response = self.post(f"/my/points/withdrawals/{self.withdrawal_b.id}/cancel")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.withdrawal_b.state, "requested")

    def test_sell_shows_a_preview_then_sells(self):
        preview = self.post("/my/points/sell", points="4")
        self.assertEqual(preview.status_code, 200)
        self.assertIn("o_points_sell_confirm", preview.text)
        self.assertFalse(self.env["points.ledger"].search_count([("partner_id", "=", self.a.id),
                                                                 ("points_delta", "=", -4)]))
        done = self.post("/my/points/sell", points="4", confirm="1")
        self.assertIn("You sold 4", done.text)
        self.assertEqual(self.env["points.ledger"].search_count([("partner_id", "=", self.a.id),
                                                                 ("points_delta", "=", -4)]), 1)

    def test_a_pending_sale_says_so_and_is_shown_once_applied(self):
        with self.busy_pool():
            response = self.post("/my/points/sell", points="4", confirm="1")
            self.assertIn("alert-info", response.text)
            self.assertIn("waits for the profit pool", response.text)
            self.assertIn("o_points_available_points", self.page("/my/points"), "the points held for the sale")
        self.assertFalse(self.env["points.ledger"].search_count([("partner_id", "=", self.a.id),
                                                                 ("points_delta", "=", -4)]))
        self.pool._apply_pending()
        self.assertEqual(self.env["points.ledger"].search_count([("partner_id", "=", self.a.id),
                                                                 ("points_delta", "=", -4)]), 1)
        self.assertNotIn("o_points_available_points", self.page("/my/points"))

    def test_a_sale_the_pool_refuses_shows_the_reason(self):
        order = self.env["res.partner.category"].create({"name": "Refunded order"})
        self.pool.contribute(self.a, 1000, 300, source=order)
        held = self.wallet_of(self.a).points
        with self.busy_pool():
            self.pool.reverse(order, refund_source=self.env["res.partner.category"].create({"name": "Refund"}))
        response = self.post("/my/points/sell", points=str(held), confirm="1")
        self.assertIn("alert-danger", response.text)
        self.assertIn("refused your sale", response.text)
        self.assertFalse(self.env["points.ledger"].search_count([("partner_id", "=", self.a.id),
                                                                 ("event", "=", "sell"), ("points_delta", "=", -held)]))

    def test_refused_sale_shows_why_and_changes_nothing(self):
        before = self.snapshot()
        response = self.post("/my/points/sell", points="100000", confirm="1")
        self.assertIn("alert-danger", response.text)
        self.assertIn("fewer than", response.text)
        self.assertEqual(self.snapshot(), before)

    @mute_logger("odoo.http")
    def test_forms_need_the_csrf_token(self):
        before = self.snapshot()
        response = self.url_open("/my/points/sell", data={"points": "1", "confirm": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.snapshot(), before)

    def test_bad_ledger_filter_is_explained(self):
        self.assertIn("not a date", self.page("/my/points/ledger?date_from=someday"))

    def test_member_issues_and_revokes_a_token(self):
        response = self.post("/my/points/api/new", name="My phone", days="30")
        plain = re.search(r'id="points_plain_token" value="([^"]+)"', response.text).group(1)
        token = self.env["points.api.token"]._authenticate(plain)
        self.assertEqual((token.user_id, token.name), (self.user_a, "My phone"))
        self.assertNotIn(plain, self.page("/my/points/api"), "the plain token is shown once")
        self.assertEqual(self.api("GET", "/wallet", plain)[0], 200)
        self.post(f"/my/points/api/{token.id}/revoke")
        self.assertTrue(token.revoked)
        token_b = self.env["points.api.token"].search([("user_id", "=", self.user_b.id)])
        self.assertEqual(self.post(f"/my/points/api/{token_b.id}/revoke").status_code, 404)
        self.assertFalse(token_b.revoked)

    def test_ledger_pages_follow_the_pager(self):
        for points in (1, 1, 1):
            self.pool.sell(self.a, points)
        html = self.page("/my/points/ledger/page/2?sortby=date_asc")
        self.assertIn("o_points_ledger_row", html)

    @mute_logger("odoo.http")
    def test_json_rpc_refuses_approval_without_the_points_group(self):
        new_test_user(self.env, "rpc_employee", groups="base.group_user", company_id=self.company.id,
                      company_ids=[self.company.id])
        self.authenticate("rpc_employee", "rpc_employee")
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request("/web/dataset/call_kw/points.withdrawal/action_approve", {
                "model": "points.withdrawal", "method": "action_approve", "args": [[self.withdrawal_b.id]],
                "kwargs": {}})
        self.authenticate("member_a", "member_a")
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request("/web/dataset/call_kw/points.wallet/read", {
                "model": "points.wallet", "method": "read", "args": [self.wallet_of(self.b).ids, ["cash_balance"]],
                "kwargs": {}})
        self.assertEqual(self.withdrawal_b.state, "requested")

    def test_member_transfers_from_the_portal(self):
        self.pool.transfer_enabled = True
        response = self.post("/my/points/transfer", recipient_code="teamb234", kind="points", quantity="3",
                             memo="Thanks")
        self.assertIn("alert-success", response.text)
        transfer = self.env["points.transfer"].search([("sender_id", "=", self.a.id)])
        self.assertEqual((transfer.recipient_id, transfer.points, transfer.memo), (self.b, 3.0, "Thanks"))
        self.assertEqual(transfer.state, "applied")
        self.assertIn("o_points_transfer_state", self.page("/my/points/transfer"))
        before = self.snapshot()
        response = self.post("/my/points/transfer", recipient_code="NOBODY23", kind="cash", quantity="1")
        self.assertIn("alert-danger", response.text)
        self.assertEqual(self.snapshot(), before)
