from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import WalletServiceCase


@tagged("post_install", "-at_install")
class TestWithdrawal(WalletServiceCase):
    def test_request_reserves_the_amount_at_once(self):
        wallet = self.wallet(self.member1)
        self.assertEqual((wallet.cash_balance, wallet.available_cash), (161.50, 161.50))
        withdrawal = self.request(self.member1, 100)
        self.assertEqual(withdrawal.state, "requested")
        self.assertEqual((withdrawal.amount, withdrawal.fee_amount, withdrawal.net_amount), (100.0, 2.0, 98.0))
        self.assertEqual((wallet.cash_balance, wallet.reserved_balance, wallet.available_cash), (161.50, 100.0, 61.50))
        self.assertTrue(withdrawal.name.startswith("WD/"))
        self.assertEqual(withdrawal.activity_ids.user_id, self.manager)
        self.assertNoBreach()

    def test_approval_posts_the_fee_pays_the_rest_and_reconciles_the_wallet_payable(self):
        withdrawal = self.request(self.member1, 100)
        withdrawal.with_user(self.manager).action_approve()
        wallet = self.wallet(self.member1)
        self.assertEqual(withdrawal.state, "paid")
        self.assertEqual(withdrawal.approved_by, self.manager)
        self.assertTrue(withdrawal.date_done)
        self.assertEqual((wallet.cash_balance, wallet.reserved_balance, wallet.available_cash), (61.50, 0.0, 61.50))
        payment = withdrawal.payment_id
        self.assertEqual((payment.payment_type, payment.partner_id, payment.amount, payment.journal_id),
                         ("outbound", self.member1, 98.0, self.bank_journal))
        self.assertEqual(payment.destination_account_id, self.pool.wallet_account_id)
        self.assertEqual(payment.move_id.state, "posted")
        payable_line = payment.move_id.line_ids.filtered(lambda line: line.account_id == self.pool.wallet_account_id)
        self.assertEqual((payable_line.debit, payable_line.partner_id), (98.0, self.member1))
        self.assertTrue(payable_line.reconciled)
        self.assertEqual(self.pool._account_balance(self.pool.withdrawal_fee_account_id), -2.0)
        self.assertEqual(self.gl_wallet_balance(self.member1), 61.50)
        rows = withdrawal.ledger_ids
        self.assertEqual(sorted(rows.mapped("event")), ["withdrawal", "withdrawal_fee"])
        self.assertEqual(sum(rows.mapped("cash_delta")), -100.0)
        self.assertEqual(rows.filtered(lambda row: row.event == "withdrawal").move_id, payment.move_id)
        # The ledger names the request, and the member statement counts both rows as a withdrawal.
        self.assertEqual(set(rows.mapped("source_display")), {withdrawal.name})
        self.assertEqual({row._statement_section() for row in rows}, {"withdrawals"})
        self.assertFalse(withdrawal.activity_ids)
        self.assertNoBreach()

    def test_approving_twice_pays_once(self):
        withdrawal = self.request(self.member1, 100)
        withdrawal.action_approve()
        self.assertRefused(UserError, "already paid", withdrawal.action_approve)

    def test_rejection_releases_the_reservation_and_moves_nothing(self):
        before = self.snapshot()
        withdrawal = self.request(self.member1, 100)
        with self.assertRaisesRegex(UserError, "why"):
            withdrawal.with_user(self.manager).action_reject("  ")
        withdrawal.with_user(self.manager).action_reject("Bank details missing")
        self.assertEqual((withdrawal.state, withdrawal.reject_reason), ("rejected", "Bank details missing"))
        self.assertEqual(self.wallet(self.member1).available_cash, 161.50)
        self.assertEqual(self.snapshot(), before)
        self.assertFalse(withdrawal.activity_ids)
        self.assertFalse(withdrawal.ledger_ids)
        self.assertNoBreach()

    def test_member_cancels_an_open_request_but_not_a_paid_one(self):
        withdrawal = self.request(self.member1, 100)
        withdrawal.action_cancel()
        self.assertEqual(withdrawal.state, "cancelled")
        self.assertEqual(self.wallet(self.member1).reserved_balance, 0.0)
        paid = self.request(self.member1, 50)
        paid.action_approve()
        self.assertRefused(UserError, "already paid", paid.action_cancel)
        self.assertNoBreach()

    def test_amounts_below_the_minimum_or_not_positive_are_refused(self):
        self.pool.withdrawal_min_amount = 50
        self.assertRefused(UserError, "smallest withdrawal", self.request, self.member1, 49.99)
        self.assertRefused(UserError, "must be positive", self.request, self.member1, 0)
        self.assertRefused(UserError, "must be positive", self.request, self.member1, -10)
        self.assertEqual(self.request(self.member1, 50).amount, 50.0)

    def test_more_than_the_available_cash_is_refused(self):
        self.assertRefused(UserError, "at most", self.request, self.member1, 161.51)
        self.assertRefused(UserError, "at most", self.request, self.member2, 1)

    def test_the_same_money_cannot_be_requested_twice(self):
        self.request(self.member1, 100)
        self.assertRefused(UserError, "reserved by open requests", self.request, self.member1, 100)
        self.assertEqual(self.request(self.member1, 61.50).amount, 61.50)
        self.assertEqual(self.wallet(self.member1).available_cash, 0.0)
        self.assertNoBreach()

    def test_frozen_money_is_never_available(self):
        wallet = self.wallet(self.member1)
        # Frozen rewards sit beside the cash balance (points_reward credits them); they are not withdrawable.
        wallet.sudo().frozen_balance = 500.0
        self.assertEqual(wallet.available_cash, 161.50)
        self.assertRefused(UserError, "frozen rewards", self.request, self.member1, 200)

    def test_a_refund_debt_blocks_withdrawals(self):
        self.pool.exit_multiple = 0
        order = self.order("Refunded order")
        self.pool.contribute(self.member4, 100, 100, source=order)
        wallet = self.wallet(self.member4)
        self.pool.sell(self.member4, wallet.points)
        self.request(self.member4, wallet.cash_balance).action_approve()
        self.pool.reverse(order, refund_source=self.order("Refund"))
        self.assertLess(wallet.cash_balance, 0)
        self.assertTrue(wallet.debt)
        self.assertRefused(UserError, "owes", self.request, self.member4, 1)
        self.assertNoBreach()

    def test_daily_limit_counts_open_and_paid_requests_of_the_day(self):
        self.pool.withdrawal_daily_limit = 100
        with freeze_time("2026-03-02 09:00:00"):
            self.request(self.member1, 40).action_approve()
            self.request(self.member1, 30)
            self.request(self.member1, 10).action_cancel()
            self.request(self.member1, 20).action_reject("Test")
            self.assertRefused(UserError, "daily withdrawal limit", self.request, self.member1, 30.01)
            self.request(self.member1, 30)
        with freeze_time("2026-03-03 09:00:00"):
            self.assertEqual(self.request(self.member1, 60).amount, 60.0)
        self.assertNoBreach()

    def test_blocked_members_and_other_companies_are_refused(self):
        wallet = self.wallet(self.member1)
        wallet.action_block()
        self.assertRefused(UserError, "not an active member", self.request, self.member1, 10)
        wallet.action_unblock()
        other = self.env["res.company"].create({"name": "Other Co"})
        outsider = self.env["res.partner"].create({"name": "Outsider", "company_id": other.id})
        self.assertRefused(UserError, "belongs to", self.request, outsider, 10)
        self.assertRefused(UserError, "no wallet", self.request, self.env["res.partner"].create({"name": "New"}), 10)

    def test_request_key_makes_a_retried_call_return_the_same_request(self):
        first = self.request(self.member1, 100, request_key="app-42")
        self.assertEqual(self.request(self.member1, 100, request_key="app-42"), first)
        self.assertEqual(self.wallet(self.member1).reserved_balance, 100.0)
        self.assertRefused(UserError, "another amount", self.request, self.member1, 50, request_key="app-42")

    def test_approval_is_refused_when_the_cash_no_longer_covers_the_request(self):
        withdrawal = self.request(self.member1, 100)
        self.wallet(self.member1).sudo().cash_balance = 50.0  # as if the cash had gone meanwhile
        with self.assertRaisesRegex(UserError, "no longer covers"):
            withdrawal.action_approve()
        self.assertEqual(withdrawal.state, "requested")

    def test_batch_accounting_keeps_the_books_in_step(self):
        self.pool.accounting_mode = "batch"
        self.pool.sell(self.member2, 50)
        withdrawal = self.request(self.member2, self.wallet(self.member2).cash_balance)
        withdrawal.action_approve()
        self.assertNoBreach()
        self.pool.action_post_pending_entries()
        self.assertEqual(self.wallet(self.member2).cash_balance, 0.0)
        self.assertEqual(self.gl_wallet_balance(self.member2), 0.0)
        self.assertNoBreach()

    def test_fee_rounding_favours_the_company(self):
        self.pool.withdrawal_fee_rate = 0.015
        withdrawal = self.request(self.member1, 33.33)
        # 33.33 x 0.985 = 32.83005: the member's part rounds down, the fee is the rest.
        self.assertEqual((withdrawal.net_amount, withdrawal.fee_amount), (32.83, 0.50))

    def test_fee_rates_of_one_or_more_and_negative_limits_are_refused(self):
        for field_name, value, message in (("withdrawal_fee_rate", 1.0, "below 1"),
                                           ("withdrawal_daily_limit", -1, "cannot be negative"),
                                           ("transfer_max_points", -1, "cannot be negative")):
            with self.assertRaisesRegex(ValidationError, message):
                self.pool.write({field_name: value})
            self.env.invalidate_all(flush=False)  # drop the refused value, which the savepoint rolled back
