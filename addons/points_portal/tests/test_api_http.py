from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CODE_B, PortalHttpCase


@tagged("post_install", "-at_install")
class TestApiHttp(PortalHttpCase):
    """Every endpoint over real HTTP: success, bad input, bad tokens, other members' data, rate limit."""

    def test_wallet_returns_the_members_own_wallet(self):
        status, data = self.api("GET", "/wallet", self.token_a)
        self.assertEqual(status, 200)
        wallet = self.wallet_of(self.a)
        self.assertEqual((data["points"], data["cash_balance"], data["currency"]),
                         (wallet.points, wallet.cash_balance, "CNY"))
        self.assertIn("not a deposit", data["disclosure"])
        status, data = self.api("GET", "/wallet", self.token_b)
        self.assertEqual((data["reserved_balance"], data["frozen_balance"]), (10.0, 100.0))

    def test_missing_invalid_and_revoked_tokens_get_401(self):
        self.assertApiError(self.api("GET", "/wallet"), 401, "missing_token")
        self.assertApiError(self.api("GET", "/wallet", "pts_0000_nothing"), 401, "invalid_token")
        self.assertApiError(self.api("GET", "/wallet", self.token_a + "x"), 401, "invalid_token")
        self.env["points.api.token"].search([("user_id", "=", self.user_a.id)]).action_revoke()
        self.assertApiError(self.api("GET", "/wallet", self.token_a), 401, "invalid_token")
        self.assertApiError(self.api("POST", "/sell", self.token_a, {"points": 1}), 401, "invalid_token")

    def test_ledger_pages_and_filters(self):
        status, data = self.api("GET", "/ledger", self.token_a, params={"limit": 1})
        self.assertEqual((status, data["total"], len(data["items"]), data["limit"]), (200, 2, 1, 1))
        status, data = self.api("GET", "/ledger", self.token_a, params={"event": "sell", "sort": "date_asc"})
        self.assertEqual([row["event"] for row in data["items"]], ["sell"])
        today = fields.Date.to_string(fields.Date.today())
        status, data = self.api("GET", "/ledger", self.token_a, params={"date_from": today, "date_to": today})
        self.assertEqual(data["total"], 2)
        for params in ({"limit": 0}, {"limit": "x"}, {"offset": -1}, {"event": "steal"}, {"date_from": "31/12"}):
            with self.subTest(**params):
                self.assertApiError(self.api("GET", "/ledger", self.token_a, params=params), 400, "invalid_input")
        status, data = self.api("GET", "/ledger", self.token_b, params={"limit": 200})
        self.assertEqual(status, 200)
        self.assertEqual(self.env["points.ledger"].browse([row["id"] for row in data["items"]]).partner_id, self.b)

    def test_ledger_rows_show_both_prices_and_the_source_document(self):
        """The rows read as in the back office: price before and after, the source by its document's name."""
        status, data = self.api("GET", "/ledger", self.token_b, params={"limit": 200})
        self.assertEqual(status, 200)
        rows = self.env["points.ledger"].browse([item["id"] for item in data["items"]])
        for item, row in zip(data["items"], rows):
            with self.subTest(event=item["event"]):
                self.assertEqual((item["price_before"], item["price_after"], item["price"]),
                                 (row.price_before, row.price_after, row.price_after))
                self.assertEqual(item["source"], row.source_display or None)
        sale = next(item for item in data["items"] if item["event"] == "sell")
        # The sale's fee stays in the pool: the price after is higher than the price the preview used.
        self.assertGreater(sale["price_after"], sale["price_before"])
        reward = next(item for item in data["items"] if item["event"] == "reward_freeze")
        self.assertIn(self.reward_b.rule_id.name, reward["source"])

    def test_price_history_lists_prices(self):
        status, data = self.api("GET", "/price-history", self.token_a, params={"limit": 2})
        self.assertEqual((status, len(data["items"]), data["currency"]), (200, 2, "CNY"))
        self.assertAlmostEqual(data["items"][-1]["price"], self.pool.price, places=6)
        self.assertApiError(self.api("GET", "/price-history", self.token_a, params={"limit": 999}), 400,
                            "invalid_input")

    def test_sell_previews_then_sells(self):
        status, preview = self.api("GET", "/sell/preview", self.token_a, params={"points": "5"})
        self.assertEqual(status, 200)
        status, data = self.api("POST", "/sell", self.token_a, {"points": 5})
        self.assertEqual(status, 201, data)
        self.assertEqual((data["request"]["kind"], data["request"]["state"]), ("sell", "applied"))
        self.assertEqual(data["request"]["ledger"], data["ledger"])
        self.assertEqual(data["ledger"]["points"], -5.0)
        self.assertEqual(data["ledger"]["cash"], preview["net"])
        self.assertEqual(self.env["points.ledger"].browse(data["ledger"]["id"]).partner_id, self.a)
        self.assertEqual(self.pool._integrity_breaches(), [])

    def test_a_pending_sale_answers_202_and_is_read_again(self):
        with self.busy_pool():
            status, data = self.api("POST", "/sell", self.token_a, {"points": 5})
            self.assertEqual(status, 202, data)
            self.assertEqual((data["request"]["state"], data["ledger"]), ("pending", None))
            self.assertEqual(data["wallet"]["reserved_points"], 5.0)
            request_id = data["request"]["id"]
            status, pending = self.api("GET", f"/requests/{request_id}", self.token_a)
            self.assertEqual((status, pending["state"], pending["ledger"]), (200, "pending", None))
        self.pool._apply_pending()
        status, applied = self.api("GET", f"/requests/{request_id}", self.token_a)
        self.assertEqual((status, applied["state"], applied["ledger"]["points"]), (200, "applied", -5.0))
        self.assertApiError(self.api("GET", f"/requests/{request_id}", self.token_b), 404, "not_found")
        self.assertApiError(self.api("GET", "/requests/99999999", self.token_a), 404, "not_found")
        self.assertEqual(self.pool._integrity_breaches(), [])

    def test_a_sale_the_pool_refuses_answers_409_with_the_reason(self):
        order = self.env["res.partner.category"].create({"name": "Refunded order"})
        self.pool.contribute(self.a, 1000, 300, source=order)
        held = self.wallet_of(self.a).points
        with self.busy_pool():
            # A refund waiting for the pool burns what that order minted; it reserves nothing.
            refund = self.pool.reverse(order, refund_source=self.env["res.partner.category"].create({"name": "Refund"}))
        before = self.snapshot()
        # The pool is free again: the refund, then the sale of every point held, are applied in this call.
        status, data = self.api("POST", "/sell", self.token_a, {"points": held})
        self.assertEqual(status, 409, data)
        self.assertEqual(data["error"]["code"], "request_refused")
        self.assertIn("fewer than", data["error"]["message"])
        self.assertEqual((data["request"]["state"], data["request"]["ledger"], data["ledger"]), ("refused", None, None))
        self.assertEqual(refund.state, "applied")
        self.assertAlmostEqual(self.wallet_of(self.a).points, held + refund.ledger_id.points_delta, places=4)
        self.assertEqual(self.snapshot()[3], before[3] + 1, "only the refund's row")
        status, again = self.api("GET", f"/requests/{data['request']['id']}", self.token_a)
        self.assertEqual((status, again["state"]), (200, "refused"))
        self.assertEqual(self.pool._integrity_breaches(), [])

    def test_sell_refuses_bad_input_and_changes_nothing(self):
        before = self.snapshot()
        self.assertApiError(self.api("POST", "/sell", self.token_a, raw="not json"), 400, "invalid_json")
        self.assertApiError(self.api("POST", "/sell", self.token_a, raw="[1]"), 400, "invalid_json")
        for body in ({}, {"points": "many"}, {"points": -1}, {"points": 0}, {"points": 1.00001}, {"points": True}):
            with self.subTest(body=body):
                self.assertApiError(self.api("POST", "/sell", self.token_a, body), 400, "invalid_input")
        self.assertApiError(self.api("POST", "/sell", self.token_a, {"points": 10**6}), 409, "insufficient_points")
        self.assertApiError(self.api("GET", "/sell/preview", self.token_a, params={"points": "-3"}), 400,
                            "invalid_input")
        self.assertEqual(self.snapshot(), before)

    def test_errors_speak_the_members_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["points_portal"], ["zh_CN"])
        self.user_a.lang = "zh_CN"
        status, data = self.api("POST", "/sell", self.token_a, {"points": 10**6})
        self.assertEqual((status, data["error"]["code"]), (409, "insufficient_points"))
        self.assertIn("积分", data["error"]["message"])

    def test_withdrawals_request_list_and_cancel(self):
        status, data = self.api("POST", "/withdrawals", self.token_a, {"amount": "12.50", "request_key": "app-1"})
        self.assertEqual(status, 201, data)
        self.assertEqual((data["amount"], data["state"]), (12.5, "requested"))
        again = self.api("POST", "/withdrawals", self.token_a, {"amount": "12.50", "request_key": "app-1"})
        self.assertEqual(again, (201, data), "the same request key and body answer the first result")
        self.assertApiError(self.api("POST", "/withdrawals", self.token_a, {"amount": 12.5, "request_key": "app-1"}),
                            409, "idempotency_conflict")
        status, page = self.api("GET", "/withdrawals", self.token_a)
        self.assertEqual([row["id"] for row in page["items"]], [data["id"]])
        self.assertEqual(self.api("GET", f"/withdrawals/{data['id']}", self.token_a)[1]["name"], data["name"])
        status, cancelled = self.api("POST", f"/withdrawals/{data['id']}/cancel", self.token_a)
        self.assertEqual((status, cancelled["state"]), (200, "cancelled"))
        self.assertApiError(self.api("POST", f"/withdrawals/{data['id']}/cancel", self.token_a), 409,
                            "invalid_state")
        self.assertApiError(self.api("GET", "/withdrawals", self.token_a, params={"state": "lost"}), 400,
                            "invalid_input")
        self.assertEqual(self.pool._integrity_breaches(), [])

    def test_withdrawal_refuses_bad_amounts(self):
        before = self.snapshot(), self.env["points.withdrawal"].search_count([])
        for body in ({}, {"amount": "lots"}, {"amount": -5}, {"amount": 0.001}, {"amount": 5, "request_key": 7}):
            with self.subTest(body=body):
                self.assertApiError(self.api("POST", "/withdrawals", self.token_a, body), 400, "invalid_input")
        self.assertApiError(self.api("POST", "/withdrawals", self.token_a, {"amount": 10**6}), 409,
                            "insufficient_cash")
        self.assertEqual((self.snapshot(), self.env["points.withdrawal"].search_count([])), before)

    def test_another_members_withdrawal_is_not_found_and_unchanged(self):
        other = self.withdrawal_b.id
        self.assertApiError(self.api("GET", f"/withdrawals/{other}", self.token_a), 404, "not_found")
        self.assertApiError(self.api("POST", f"/withdrawals/{other}/cancel", self.token_a), 404, "not_found")
        self.assertApiError(self.api("POST", "/withdrawals/99999999/cancel", self.token_a), 404, "not_found")
        self.assertEqual(self.withdrawal_b.state, "requested")
        self.assertEqual(self.api("GET", "/withdrawals", self.token_a)[1]["total"], 0)
        self.assertEqual(self.api("GET", f"/withdrawals/{other}", self.token_b)[0], 200)

    def test_transfers_follow_the_setting(self):
        self.assertApiError(self.api("POST", "/transfers", self.token_a, {"recipient_code": CODE_B, "cash": 1}),
                            403, "transfers_disabled")
        self.pool.transfer_enabled = True
        status, data = self.api("POST", "/transfers", self.token_a,
                                {"recipient_code": CODE_B, "points": 2, "memo": "Gift"})
        self.assertEqual((status, data["kind"], data["points"], data["direction"]), (201, "points", 2.0, "sent"))
        self.assertEqual((data["state"], data["request"]["state"], data["request"]["id"]),
                         ("applied", "applied", data["request_id"]))
        self.assertApiError(self.api("POST", "/transfers", self.token_a, {"recipient_code": "NOBODY23", "cash": 1}),
                            404, "unknown_referral_code")
        self.assertApiError(self.api("POST", "/transfers", self.token_a, {"recipient_code": CODE_B}), 400,
                            "invalid_input")
        self.assertApiError(self.api("POST", "/transfers", self.token_a, {"recipient_code": CODE_B, "cash": 10**6}),
                            409, "insufficient_cash")
        self.assertEqual(self.pool._integrity_breaches(), [])

    def test_a_pending_transfer_answers_202_and_holds_the_cash(self):
        self.pool.transfer_enabled = True
        available = self.wallet_of(self.a).available_cash
        with self.busy_pool():
            status, data = self.api("POST", "/transfers", self.token_a, {"recipient_code": CODE_B, "cash": 3})
            self.assertEqual(status, 202, data)
            self.assertEqual((data["state"], data["request"]["state"]), ("pending", "pending"))
            self.assertAlmostEqual(self.api("GET", "/wallet", self.token_a)[1]["available_cash"], available - 3,
                                   places=2)
            self.assertApiError(self.api("POST", "/transfers", self.token_a,
                                         {"recipient_code": CODE_B, "cash": round(available - 2, 2)}),
                                409, "insufficient_cash")
        self.pool._apply_pending()
        status, request = self.api("GET", f"/requests/{data['request_id']}", self.token_a)
        self.assertEqual((status, request["state"], request["ledger"]["cash"]), (200, "applied", -3.0))
        self.assertEqual(self.pool._integrity_breaches(), [])

    def test_referral_bind_and_team(self):
        status, data = self.api("GET", "/referral", self.token_a)
        self.assertEqual((status, data["code"], data["referrer"], data["can_bind"]),
                         (200, self.a.referral_code, None, True))
        self.assertApiError(self.api("POST", "/referral/bind", self.token_a, {"code": "NOBODY23"}), 404,
                            "unknown_referral_code")
        self.assertApiError(self.api("POST", "/referral/bind", self.token_a, {"code": 42}), 400, "invalid_input")
        status, data = self.api("POST", "/referral/bind", self.token_a, {"code": CODE_B})
        self.assertEqual((status, data["referrer"], data["can_bind"]), (200, "Member B", False))
        self.assertApiError(self.api("POST", "/referral/bind", self.token_b, {"code": self.a.referral_code}), 409,
                            "operation_refused")
        self.assertFalse(self.b.referrer_id)
        status, team = self.api("GET", "/team", self.token_b)
        self.assertEqual((status, team["direct_count"], team["team_size"]), (200, 2, 2))
        self.assertEqual({row["name"] for row in team["items"]}, {"Member A", "Member C"})
        self.assertApiError(self.api("GET", "/team", self.token_b, params={"limit": -1}), 400, "invalid_input")

    def test_rewards_are_the_members_own(self):
        status, data = self.api("GET", "/rewards", self.token_b)
        self.assertEqual((status, data["total"], data["items"][0]["id"]), (200, 1, self.reward_b.id))
        self.assertEqual(data["items"][0]["state"], "frozen")
        self.assertEqual(self.api("GET", "/rewards", self.token_a)[1]["total"], 0)
        self.assertApiError(self.api("GET", "/rewards", self.token_b, params={"state": "x"}), 400, "invalid_input")

    def test_rate_limit_answers_429(self):
        self.pool.api_rate_limit = 2
        # Two calls of A in the last minute (a sliding window): the next one is over the limit.
        now = fields.Datetime.now()
        for seconds in (1, 30):
            self.env.cr.execute(SQL("INSERT INTO points_api_usage (key, at) VALUES (%s, %s)", f"member:{self.a.id}",
                                    now - timedelta(seconds=seconds)))
        status, data = self.api("GET", "/wallet", self.token_a)
        self.assertApiError((status, data), 429, "rate_limited")
        self.assertEqual(self.api("GET", "/wallet", self.token_b)[0], 200, "B has a count of their own")

    def test_openapi_document_is_served(self):
        response = self.url_open("/points/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["openapi"], "3.0.3")
