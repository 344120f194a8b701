from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.points_portal.models.points_member_service import MemberError

from .common import CODE_B, PortalCase


@tagged("post_install", "-at_install")
class TestMemberService(PortalCase):
    def assertMemberError(self, code, func, *args, **kwargs):
        """``func`` refuses with ``code`` and changes nothing."""
        before = self.snapshot(), self.env["points.withdrawal"].search_count([])
        with self.assertRaises(MemberError) as caught:
            func(*args, **kwargs)
        self.assertEqual(caught.exception.code, code)
        self.assertEqual((self.snapshot(), self.env["points.withdrawal"].search_count([])), before)
        return caught.exception

    # -- wallet ---------------------------------------------------------------------
    def test_wallet_card_shows_the_members_own_figures(self):
        data = self.wallet_card(self.user_a)
        wallet = self.wallet_of(self.a)
        self.assertEqual(data["points"], wallet.points)
        self.assertAlmostEqual(data["value"], wallet.value, places=2)
        self.assertEqual(data["cash_balance"], wallet.cash_balance)
        self.assertEqual(data["available_cash"], wallet.cash_balance)
        self.assertEqual(data["currency"], "CNY")
        self.assertTrue(0 < data["exit_progress"] < 100)
        self.assertAlmostEqual(data["exit_target"], self.pool.exit_multiple * wallet.cycle_spend, places=2)

    def test_wallet_card_counts_reserved_and_frozen_money(self):
        data = self.wallet_card(self.user_b)
        self.assertEqual(data["reserved_balance"], 10.0)
        self.assertAlmostEqual(data["available_cash"], data["cash_balance"] - 10.0, places=2)
        self.assertEqual(data["frozen_balance"], 100.0)

    def test_member_without_wallet_sees_zeros(self):
        newcomer = self.portal_member("member_new", "Newcomer")
        data = self.wallet_card(newcomer)
        self.assertEqual((data["points"], data["cash_balance"], data["exit_progress"]), (0.0, 0.0, 0.0))
        self.assertMemberError("insufficient_points", self.service(newcomer)._sell, 1)

    # -- ledger ---------------------------------------------------------------------
    def test_ledger_lists_own_rows_filtered_and_paged(self):
        service = self.service(self.user_a)
        rows, total = service._ledger()
        self.assertEqual(rows.partner_id, self.a)
        self.assertEqual(total, 2)
        sales, total = service._ledger(event="sell")
        self.assertEqual((sales.event, total), ("sell", 1))
        page, total = service._ledger(limit=1, offset=1, sort="date_asc")
        self.assertEqual((page.event, total), ("sell", 2))
        tomorrow = fields.Date.to_string(fields.Date.today() + timedelta(days=1))
        self.assertEqual(service._ledger(date_from=tomorrow)[1], 0)
        self.assertEqual(service._ledger(date_to=tomorrow)[1], 2)

    def test_ledger_refuses_bad_filters(self):
        service = self.service(self.user_a)
        for kwargs in ({"event": "steal"}, {"date_from": "yesterday"}, {"limit": 0}, {"limit": 500},
                       {"offset": -1}, {"limit": "ten"}, {"sort": "random"},
                       {"date_from": "2026-02-02", "date_to": "2026-01-01"}):
            with self.subTest(**kwargs), self.assertRaises(MemberError) as caught:
                service._ledger(**kwargs)
            self.assertEqual(caught.exception.code, "invalid_input")

    def test_price_history_follows_the_ledger(self):
        history = self.pool._price_history(limit=3)
        self.assertEqual(len(history), 3)
        self.assertAlmostEqual(history[-1][1], self.pool.price, places=6)
        prices = [price for _date, price in self.pool._price_history()]
        self.assertEqual(prices, sorted(prices), "the price never falls")

    # -- selling --------------------------------------------------------------------
    def test_sell_preview_is_what_the_sale_pays(self):
        service = self.service(self.user_a)
        preview = service._sell_preview("10")
        self.assertAlmostEqual(preview["gross"] - preview["fee"], preview["net"], places=2)
        self.assertAlmostEqual(preview["fee"], round(preview["gross"] * self.pool.sell_fee_rate, 2), places=2)
        points_before = self.wallet_of(self.a).points
        request = service._sell(10)
        self.assertEqual((request.kind, request.state, request.partner_id), ("sell", "applied", self.a))
        row = request.ledger_id
        self.assertEqual(row.points_delta, -10.0)
        self.assertEqual(row.cash_delta, preview["net"])
        self.assertEqual(self.wallet_of(self.a).points, points_before - 10)
        self.assertNoBreach()

    def test_a_pending_sale_holds_its_points_and_can_be_read_again(self):
        service = self.service(self.user_a)
        held = self.wallet_of(self.a).points
        with self.busy_pool():
            request = service._sell(10)
            self.assertEqual(request.state, "pending")
            self.assertFalse(request.ledger_id)
            data = self.wallet_card(self.user_a)
            self.assertEqual((data["points"], data["reserved_points"], data["available_points"]),
                             (held, 10.0, held - 10))
            self.assertMemberError("insufficient_points", service._sell, held - 9)
            self.assertMemberError("insufficient_points", service._sell_preview, held - 9)
            pending = self.serialize(self.user_a).pool_request(service._pool_request(request.id))
            self.assertEqual((pending["id"], pending["kind"], pending["state"], pending["ledger"]),
                             (request.id, "sell", "pending", None))
        self.pool._apply_pending()
        applied = self.serialize(self.user_a).pool_request(service._pool_request(request.id))
        self.assertEqual(applied["state"], "applied")
        self.assertEqual((applied["ledger"]["id"], applied["ledger"]["points"]), (request.ledger_id.id, -10.0))
        self.assertTrue(applied["applied_at"])
        self.assertEqual(self.wallet_of(self.a).points, held - 10)
        self.assertNoBreach()

    def test_a_sale_the_pool_refuses_at_its_turn_moves_nothing(self):
        service = self.service(self.user_a)
        wallet = self.wallet_of(self.a)
        with self.busy_pool():
            request = service._sell(10)
            wallet.action_block()  # a manager blocks the wallet before the pool reaches the sale
        before = self.snapshot()
        self.pool._apply_pending()
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(request.state, "refused")
        self.assertIn("blocked", request.refusal_reason)
        data = self.serialize(self.user_a).pool_request(request)
        self.assertEqual((data["state"], data["ledger"]), ("refused", None))
        self.assertEqual(data["refusal_reason"], request.refusal_reason)
        self.assertEqual(wallet.reserved_points, 0.0)

    def test_another_members_pool_request_is_not_found(self):
        request = self.pool.sell(self.b, 1)
        for request_id in (request.id, 999999, "abc"):
            with self.subTest(request_id=request_id):
                error = self.assertMemberError("not_found", self.service(self.user_a)._pool_request, request_id)
                self.assertEqual(error.status, 404)
        self.assertEqual(self.service(self.user_b)._pool_request(request.id), request)

    def test_selling_refuses_bad_input_and_changes_nothing(self):
        service = self.service(self.user_a)
        held = self.wallet_of(self.a).points
        for value in (None, "", "abc", 0, -5, "1.00001", True, "nan", "inf"):
            with self.subTest(value=value):
                self.assertMemberError("invalid_input", service._sell, value)
        self.assertMemberError("insufficient_points", service._sell, held + 1)

    # -- withdrawals ----------------------------------------------------------------
    def test_member_requests_and_cancels_a_withdrawal(self):
        service = self.service(self.user_a)
        preview = service._withdrawal_preview(20)
        self.assertEqual(preview["amount"], 20.0)
        withdrawal = service._request_withdrawal(20, request_key="key-1")
        self.assertEqual((withdrawal.partner_id, withdrawal.state, withdrawal.amount), (self.a, "requested", 20.0))
        self.assertEqual(service._request_withdrawal(20, request_key="key-1"), withdrawal, "same key, same request")
        self.assertEqual(self.wallet_of(self.a).reserved_balance, 20.0)
        self.assertEqual(service._withdrawals()[0], withdrawal)
        service._cancel_withdrawal(withdrawal.id)
        self.assertEqual(withdrawal.state, "cancelled")
        self.assertEqual(self.wallet_of(self.a).reserved_balance, 0.0)
        self.assertMemberError("invalid_state", service._cancel_withdrawal, withdrawal.id)
        self.assertNoBreach()

    def test_withdrawal_refuses_bad_amounts(self):
        service = self.service(self.user_a)
        available = self.wallet_of(self.a).available_cash
        for value in ("x", 0, -1, "1.001", None):
            with self.subTest(value=value):
                self.assertMemberError("invalid_input", service._request_withdrawal, value)
        self.assertMemberError("insufficient_cash", service._request_withdrawal, available + 0.01)
        self.assertMemberError("invalid_input", service._request_withdrawal, 5, request_key=12)

    def test_another_members_withdrawal_is_not_found(self):
        service = self.service(self.user_a)
        for withdrawal_id in (self.withdrawal_b.id, 999999, "abc"):
            with self.subTest(withdrawal_id=withdrawal_id):
                error = self.assertMemberError("not_found", service._cancel_withdrawal, withdrawal_id)
                self.assertEqual(error.status, 404)
        self.assertEqual(self.withdrawal_b.state, "requested")
        self.assertNotIn(self.withdrawal_b, service._withdrawals()[0])

    # -- transfers --------------------------------------------------------------------
    def test_transfers_need_the_setting(self):
        service = self.service(self.user_a)
        self.assertMemberError("transfers_disabled", service._transfer, CODE_B, cash=1)
        self.pool.transfer_enabled = True
        transfer = service._transfer(CODE_B.lower(), cash=5, memo="Lunch")
        self.assertEqual((transfer.sender_id, transfer.recipient_id, transfer.amount), (self.a, self.b, 5.0))
        data = self.serialize(self.user_a).transfer(transfer)
        self.assertEqual((data["direction"], data["state"], data["request_id"]),
                         ("sent", "applied", transfer.request_id.id))
        received = self.serialize(self.user_b).transfer(transfer.with_env(self.member_env(self.user_b)))
        self.assertEqual((received["direction"], received["state"], received["request_id"]),
                         ("received", "applied", None))
        self.assertMemberError("invalid_input", service._transfer, CODE_B, cash=1, points=1)
        self.assertMemberError("unknown_referral_code", service._transfer, "NOPE2345", points=1)
        self.assertMemberError("insufficient_points", service._transfer, CODE_B, points=10**6)
        self.assertNoBreach()

    # -- referral, team, rewards --------------------------------------------------------
    def test_member_binds_with_a_referral_code(self):
        service = self.service(self.user_a)
        self.assertTrue(service._can_bind())
        self.assertMemberError("unknown_referral_code", service._bind_referral, "ZZZZ2345")
        self.assertMemberError("invalid_input", service._bind_referral, "")
        self.assertMemberError("invalid_input", service._bind_referral, self.a.referral_code)
        self.assertEqual(service._bind_referral(f" {CODE_B.lower()} "), self.b)
        self.assertEqual(self.a.referrer_id, self.b)
        self.assertFalse(service._can_bind(), "members bind once by default")
        with self.assertRaises(UserError):
            service._bind_referral(self.c.referral_code)
        self.assertEqual(self.a.referrer_id, self.b)

    def test_rebinding_follows_the_binding_mode(self):
        self.a._bind_referrer(self.b, via="staff", reason="test")
        params = self.env["ir.config_parameter"]
        params.set_param("points_referral.binding_mode", "window")
        params.set_param("points_referral.rebind_days", 7)
        service = self.service(self.user_a)
        self.assertTrue(service._can_bind())
        with freeze_time(fields.Datetime.now() + timedelta(days=8)):
            self.assertFalse(service._can_bind())
        params.set_param("points_referral.binding_mode", "rebind")
        self.assertTrue(service._can_bind())

    def test_team_shows_direct_referees_and_sizes(self):
        referees, direct, size, volume = self.service(self.user_b)._team()
        self.assertEqual((referees, direct, size), (self.c, 1, 1))
        self.assertEqual(volume, 1000.0)
        self.assertEqual(self.serialize(self.user_b).referee(self.c)["name"], "Member C")
        self.assertEqual(self.service(self.user_a)._team()[:3], (self.env["res.partner"], 0, 0))

    def test_rewards_list_only_the_members_own(self):
        rewards, total = self.service(self.user_b)._rewards()
        self.assertEqual((rewards, total), (self.reward_b, 1))
        data = self.serialize(self.user_b).reward(rewards)
        self.assertEqual((data["state"], data["amount"]), ("frozen", 100.0))
        self.assertEqual(self.service(self.user_a)._rewards()[1], 0)
        self.assertEqual(self.service(self.user_b)._rewards(state="available")[1], 0)
        with self.assertRaises(MemberError):
            self.service(self.user_b)._rewards(state="stolen")

    # -- disclosure -------------------------------------------------------------------------
    def test_disclosure_defaults_and_is_overridable_per_company(self):
        default = str(self.pool._portal_disclosure_html())
        self.assertIn("not a deposit", default)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["points_portal"], ["zh_CN"])
        self.assertIn("不是存款", str(self.pool.with_context(lang="zh_CN")._portal_disclosure_html()))
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        settings.points_portal_disclosure = "<p>Our own words</p>"
        settings.points_api_rate_limit = 30
        settings.execute()
        self.assertIn("Our own words", str(self.pool._portal_disclosure_html()))
        self.assertEqual(self.pool.api_rate_limit, 30)
