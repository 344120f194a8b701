import json
import re
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.points_portal.controllers.serializers import MemberSerializer
from .common import CODE_B, PortalHttpCase

#: Numbers beyond what the pool holds, or not plain decimal numbers: every one is refused with 400 invalid_input.
BAD_NUMBERS = [1e59, 1e300, "1e300", 10**20, "1_0", "nan", "NaN", "inf", "-inf", "Infinity", "1e-9", "0x10", " ",
               "１０", [1], {"a": 1}, "1" * 60, -0.0]


@tagged("post_install", "-at_install")
class TestApiInput(PortalHttpCase):
    """Every class of bad input answers a 4xx JSON error with a stable code, never a 500; idempotency; limits."""

    def usage(self, key):
        self.env.cr.execute("SELECT count(*) FROM points_api_usage WHERE key = %s", [key])
        return self.env.cr.fetchone()[0]

    # -- numbers ------------------------------------------------------------------------------
    def test_huge_and_malformed_numbers_are_refused(self):
        self.pool.transfer_enabled = True
        self.pool.api_rate_limit = 0
        before = self.snapshot(), self.env["points.withdrawal"].search_count([])
        for value in BAD_NUMBERS:
            with self.subTest(value=value):
                self.assertApiError(self.api("POST", "/sell", self.token_a, {"points": value}), 400, "invalid_input")
                self.assertApiError(self.api("POST", "/withdrawals", self.token_a, {"amount": value}), 400,
                                    "invalid_input")
                self.assertApiError(self.api("POST", "/transfers", self.token_a,
                                             {"recipient_code": CODE_B, "cash": value}), 400, "invalid_input")
                self.assertApiError(self.api("POST", "/transfers", self.token_a,
                                             {"recipient_code": CODE_B, "points": value}), 400, "invalid_input")
                if isinstance(value, (int, float, str)):
                    self.assertApiError(self.api("GET", "/sell/preview", self.token_a, params={"points": value}),
                                        400, "invalid_input")
                    self.assertApiError(self.api("GET", "/withdrawals/preview", self.token_a,
                                                 params={"amount": value}), 400, "invalid_input")
        self.assertApiError(self.api("POST", "/sell", self.token_a, raw='{"points": NaN}'), 400, "invalid_input")
        self.assertApiError(self.api("POST", "/sell", self.token_a, raw='{"points": ' + "1" * 5000 + "}"), 400,
                            "invalid_json")
        self.assertApiError(self.api("POST", "/sell", self.token_a, raw="[" * 100000), 400, "invalid_json")
        self.assertEqual((self.snapshot(), self.env["points.withdrawal"].search_count([])), before)

    def test_pages_ids_and_dates_out_of_range_are_refused(self):
        for params in ({"offset": 2**63}, {"offset": "99999999999999999999"}, {"offset": 2**31}, {"limit": "1_0"},
                       {"limit": "1e1"}, {"limit": 2**63}, {"date_to": "9999-12-31"}, {"date_from": "0001-01-01"},
                       {"date_from": "2026-02-30"}, {"date_from": "20260101"}):
            with self.subTest(**params):
                self.assertApiError(self.api("GET", "/ledger", self.token_a, params=params), 400, "invalid_input")
        for path in ("/team", "/rewards", "/withdrawals", "/rebates"):
            self.assertApiError(self.api("GET", path, self.token_a, params={"offset": 2**63}), 400, "invalid_input")
        self.assertEqual(self.api("GET", "/ledger", self.token_a, params={"offset": 2**31 - 1})[0], 200)
        self.assertApiError(self.api("GET", "/ledger", self.token_a, params=[("limit", 1), ("limit", 2)]), 400,
                            "invalid_input")
        for path in ("/requests/99999999999999999999", "/requests/2147483648", "/withdrawals/99999999999999999999",
                     "/withdrawals/2147483648"):
            with self.subTest(path=path):
                self.assertApiError(self.api("GET", path, self.token_a), 404, "not_found")
        self.assertApiError(self.api("POST", "/withdrawals/99999999999999999999/cancel", self.token_a), 404,
                            "not_found")

    def test_extra_query_parameters_never_reach_the_handlers(self):
        extra = {"self": "x", "service": "x", "body": "x", "query": "x", "request_key": "x", "handler": "x",
                 "path_args": "x", "kwargs": "x"}
        for path in ("/wallet", "/ledger", "/price-history", "/referral", "/team", "/rewards", "/rebates",
                     "/withdrawals"):
            with self.subTest(path=path):
                self.assertEqual(self.api("GET", path, self.token_a, params=extra)[0], 200)
        status, data = self.api("GET", f"/withdrawals/{self.withdrawal_b.id}", self.token_b,
                                params=dict(extra, withdrawal_id="1"))
        self.assertEqual((status, data["id"]), (200, self.withdrawal_b.id))
        status, data = self.api("POST", "/sell", self.token_a, {"points": 1}, params=extra)
        self.assertEqual(status, 201, data)

    def test_an_unexpected_error_answers_a_json_500_and_is_counted(self):
        key = f"member:{self.a.id}"
        before = self.usage(key)
        with patch.object(MemberSerializer, "wallet", side_effect=ZeroDivisionError), \
                mute_logger("odoo.addons.points_portal.controllers.api"):
            self.assertApiError(self.api("GET", "/wallet", self.token_a), 500, "internal_error")
        self.assertEqual(self.usage(key), before + 1, "the failed call counts against the limit")

    # -- selling ------------------------------------------------------------------------------
    def test_a_sale_paying_nothing_is_refused(self):
        self.assertEqual(self.pool._engine().sell(0.0001).money, 0, "the fixture's price makes 0.0001 worth 0.00")
        before = self.snapshot()
        self.assertApiError(self.api("GET", "/sell/preview", self.token_a, params={"points": "0.0001"}), 409,
                            "sale_too_small")
        self.assertApiError(self.api("POST", "/sell", self.token_a, {"points": 0.0001}), 409, "sale_too_small")
        self.assertEqual(self.snapshot(), before)

    def test_a_blocked_member_reads_so_in_the_previews(self):
        self.wallet_of(self.a).sudo().state = "blocked"
        self.assertApiError(self.api("GET", "/sell/preview", self.token_a, params={"points": "1"}), 409,
                            "wallet_blocked")
        self.assertApiError(self.api("GET", "/withdrawals/preview", self.token_a, params={"amount": "1"}), 409,
                            "wallet_blocked")
        self.assertApiError(self.api("POST", "/sell", self.token_a, {"points": 1}), 409, "wallet_blocked")

    # -- withdrawal preview and rebates ---------------------------------------------------------
    def test_withdrawal_preview_gives_fee_net_and_limits(self):
        self.pool.withdrawal_fee_rate = 0.1
        self.pool.withdrawal_min_amount = 5
        status, data = self.api("GET", "/withdrawals/preview", self.token_a, params={"amount": "10"})
        self.assertEqual(status, 200, data)
        self.assertEqual((data["amount"], data["fee"], data["net"], data["min_amount"], data["daily_limit"]),
                         (10.0, 1.0, 9.0, 5.0, None))
        self.assertApiError(self.api("GET", "/withdrawals/preview", self.token_a, params={"amount": "1"}), 409,
                            "operation_refused")
        self.assertApiError(self.api("GET", "/withdrawals/preview", self.token_a, params={"amount": "10000000"}),
                            409, "insufficient_cash")

    def test_rebates_lists_the_members_queue(self):
        status, data = self.api("GET", "/rebates", self.token_a)
        self.assertEqual((status, data["total"], data["items"], data["queued_total"]), (200, 0, [], 0.0))
        self.assertApiError(self.api("GET", "/rebates", self.token_a, params={"state": "lost"}), 400,
                            "invalid_input")

    # -- idempotency ------------------------------------------------------------------------------
    def call(self, path, body, key=None, token=None):
        headers = {"Authorization": f"Bearer {token or self.token_a}", "Content-Type": "application/json"}
        if key is not None:
            headers["Idempotency-Key"] = key
        response = self.opener.post(f"{self.base_url()}/points/api/v1{path}", data=json.dumps(body),
                                    headers=headers, timeout=30)
        return response.status_code, response.json(), response.headers

    def test_same_key_same_body_answers_the_first_result(self):
        status, first, _headers = self.call("/sell", {"points": 2}, key="sale-1")
        self.assertEqual(status, 201, first)
        rows = self.snapshot()
        status, again, headers = self.call("/sell", {"points": 2}, key="sale-1")
        self.assertEqual((status, again, headers.get("Idempotent-Replayed")), (201, first, "true"))
        self.assertEqual(self.snapshot(), rows, "nothing sold twice")
        status, other, _headers = self.call("/sell", {"points": 3}, key="sale-1")
        self.assertEqual((status, other["error"]["code"]), (409, "idempotency_conflict"))
        status, other, _headers = self.call("/withdrawals", {"amount": 2}, key="sale-1")
        self.assertEqual((status, other["error"]["code"]), (409, "idempotency_conflict"), "a key is one call")
        self.assertEqual(self.snapshot(), rows)
        self.assertEqual(self.call("/sell", {"points": 2}, key="sale-1", token=self.token_b)[0], 201,
                         "keys are the member's own")

    def test_bad_keys_are_refused(self):
        for key in ("x" * 65, "with space", ""):
            with self.subTest(key=key):
                status, data, _headers = self.call("/sell", {"points": 1}, key=key)
                self.assertEqual((status, data["error"]["code"]), (400, "invalid_input"))
        for body_key in (7, ["a"], {"a": 1}, True, "x" * 65):
            with self.subTest(body_key=body_key):
                status, data, _headers = self.call("/withdrawals", {"amount": 1, "request_key": body_key})
                self.assertEqual((status, data["error"]["code"]), (400, "invalid_input"))
        status, data, _headers = self.call("/withdrawals", {"amount": 1, "request_key": "a"}, key="b")
        self.assertEqual((status, data["error"]["code"]), (400, "invalid_input"))

    def test_a_refused_call_does_not_keep_its_key(self):
        status, data, _headers = self.call("/sell", {"points": 10**6}, key="retry-me")
        self.assertEqual((status, data["error"]["code"]), (409, "insufficient_points"))
        self.assertEqual(self.call("/sell", {"points": 1}, key="retry-me")[0], 201,
                         "nothing moved: the key is free for the corrected call")

    def test_a_transfer_retried_after_a_lost_response_answers_the_first_result(self):
        self.pool.transfer_enabled = True
        body = {"recipient_code": CODE_B, "points": 2, "request_key": "gift-1"}
        with self.busy_pool():
            status, first, _headers = self.call("/transfers", body)
            self.assertEqual(status, 202, first)
            # The response was lost: the client sends the very same call again, its points are still reserved.
            status, again, _headers = self.call("/transfers", body)
            self.assertEqual((status, again), (202, first))
            status, other, _headers = self.call("/transfers", dict(body, points=3))
            self.assertEqual((status, other["error"]["code"]), (409, "idempotency_conflict"))
        self.pool._apply_pending()
        status, again, _headers = self.call("/transfers", body, key="gift-1")
        self.assertEqual((status, again["id"]), (202, first["id"]), "the first result, even once applied")
        self.assertEqual(self.env["points.transfer"].search_count([("request_key", "=", "gift-1")]), 1)
        self.assertEqual(self.pool._integrity_breaches(), [])

    # -- rate limits ------------------------------------------------------------------------------
    def test_failed_calls_count_against_the_limit(self):
        self.pool.api_rate_limit = 3
        self.assertApiError(self.api("POST", "/sell", self.token_a, {"points": "1_0"}), 400, "invalid_input")
        self.assertApiError(self.api("GET", "/ledger", self.token_a, params={"offset": -1}), 400, "invalid_input")
        self.assertEqual(self.api("GET", "/wallet", self.token_a)[0], 200)
        self.assertApiError(self.api("GET", "/wallet", self.token_a), 429, "rate_limited")
        self.assertEqual(self.usage(f"member:{self.a.id}"), 4)

    def test_wrong_secrets_are_throttled_by_client_address(self):
        self.env["ir.config_parameter"].sudo().set_param("points_portal.api_auth_failure_limit", 3)
        prefix = self.token_a.split("_")[1]
        for token in (f"pts_{prefix}_guess1", f"pts_{prefix}_guess2", None):
            self.assertEqual(self.api("GET", "/wallet", token)[0], 401)
        self.assertApiError(self.api("GET", "/wallet", f"pts_{prefix}_guess3"), 429, "rate_limited")
        self.assertApiError(self.api("GET", "/wallet", self.token_a), 429, "rate_limited")
        self.assertEqual(self.usage("ip:127.0.0.1"), 3)

    # -- portal forms -------------------------------------------------------------------------------
    def test_portal_forms_refuse_bad_input_without_error_pages(self):
        self.pool.transfer_enabled = True
        self.authenticate("member_a", "member_a")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', self.url_open("/my/points").text).group(1)
        before = self.snapshot(), self.env["points.withdrawal"].search_count([])
        for url, data in (("/my/points/sell", {"points": "1e300"}), ("/my/points/sell", {"points": "1_0",
                                                                                          "confirm": "1"}),
                          ("/my/points/withdrawals/request", {"amount": "1e59"}),
                          ("/my/points/withdrawals/request", {"amount": "nan", "confirm": "1", "request_key": "k"}),
                          ("/my/points/transfer", {"recipient_code": CODE_B, "kind": "points", "quantity": "1e300"}),
                          ("/my/points/transfer", {"recipient_code": CODE_B, "kind": "cash", "quantity": "inf"}),
                          ("/my/points/api/new", {"name": "App", "days": "²"}),
                          ("/my/points/sell", {"points": "1", "self": "x"})):
            with self.subTest(url=url, data=data):
                response = self.url_open(url, data=dict(data, csrf_token=csrf))
                self.assertEqual(response.status_code, 200, response.text[:500])
        for url in ("/my/points/ledger?date_to=9999-12-31", "/my/points/ledger?date_from=0001-01-01",
                    "/my/points/ledger/page/99999999999999999999", "/my/points/withdrawals/page/99999999999999",
                    "/my/points/team/page/99999999999999999999", "/my/points?self=1&service=2"):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 200)
        for url in ("/my/points/withdrawals/99999999999999999999/cancel", "/my/points/api/99999999999999999999/revoke"):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url, data={"csrf_token": csrf}).status_code, 404)
        self.assertEqual((self.snapshot(), self.env["points.withdrawal"].search_count([])), before)
