from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import RewardCase


@tagged("post_install", "-at_install")
class TestFreezeRelease(RewardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.referrer, cls.buyer = cls.make_chain(2, prefix="Freeze ")
        cls.start = fields.Datetime.now().replace(microsecond=0)

    def release_job(self, when):
        with freeze_time(when):
            self.env["points.reward"]._cron_release_rewards()
        self.env.invalidate_all()

    def test_rewards_stay_frozen_for_their_days_then_the_job_credits_the_cash_balance(self):
        self.rule("level", level=1, basis="fixed", value=100, freeze_days=7)
        with freeze_time(self.start):
            _line, reward = self.reward_line(self.buyer, {"referral": 330.0})
        wallet = self.wallet(self.referrer)
        self.assertEqual((reward.state, reward.release_date), ("frozen", self.start + timedelta(days=7)))
        self.assertEqual((wallet.frozen_balance, wallet.cash_balance), (100.0, 0.0))
        self.release_job(self.start + timedelta(days=6, hours=23))
        self.assertEqual(reward.state, "frozen")
        self.release_job(self.start + timedelta(days=7, minutes=1))
        self.assertEqual((reward.state, wallet.frozen_balance, wallet.cash_balance), ("available", 0.0, 100.0))
        self.assertEqual(reward.ledger_ids.mapped("event"), ["reward_release", "reward_freeze"])
        release = reward.ledger_ids.filtered(lambda row: row.event == "reward_release")
        self.assertEqual((release.cash_delta, release.frozen_delta), (100.0, -100.0))
        accounts = release.move_id.line_ids.mapped(lambda l: (l.account_id, l.partner_id, l.balance))
        self.assertIn((self.pool.frozen_reward_account_id, self.referrer, 100.0), accounts)
        self.assertIn((self.pool.wallet_account_id, self.referrer, -100.0), accounts)
        self.release_job(self.start + timedelta(days=30))  # again: nothing more
        self.assertEqual(wallet.cash_balance, 100.0)
        self.assertNoBreach()

    def test_the_dashboard_shows_the_frozen_rewards(self):
        self.rule("level", level=1, basis="fixed", value=100, freeze_days=7)
        with freeze_time(self.start):
            self.reward_line(self.buyer, {"referral": 330.0})
        cards = {card["key"]: card for card in self.pool._dashboard_cards()}
        self.assertEqual(cards["frozen_rewards"]["value"], self.wallet(self.referrer).frozen_balance)
        self.assertEqual(cards["frozen_rewards"]["value"], 100.0)
        self.assertIn("1", cards["frozen_rewards"]["detail"])

    def test_the_freeze_entry_books_the_expense_against_frozen_rewards(self):
        self.rule("level", level=1, basis="fixed", value=100)
        _line, reward = self.reward_line(self.buyer, {"referral": 330.0})
        lines = reward.ledger_ids.move_id.line_ids
        self.assertEqual(lines.filtered(lambda l: l.account_id == self.pool.reward_expense_account_id).balance, 100.0)
        frozen = lines.filtered(lambda l: l.account_id == self.pool.frozen_reward_account_id)
        self.assertEqual((frozen.balance, frozen.partner_id), (-100.0, self.referrer))

    def test_delivery_freeze_waits_for_the_delivery_and_the_return_window(self):
        self.rule("level", level=1, basis="fixed", value=100, freeze_mode="delivery", return_window_days=7)
        order = self.order("Delivered order")
        with freeze_time(self.start):
            rows = self.pay_line(self.buyer, 1000.0, order=order)
        reward = self.rewards_of(rows[:1]._source_line())
        self.assertFalse(reward.release_date)
        self.release_job(self.start + timedelta(days=60))
        self.assertEqual(reward.state, "frozen")
        pickup_day = self.start + timedelta(days=61)
        with freeze_time(pickup_day):
            self.env["points.allocation"]._on_pickup_verified(order, self.make_members(1, "Pickup "))
        self.assertEqual(reward.release_date, pickup_day + timedelta(days=7))
        self.release_job(pickup_day + timedelta(days=6))
        self.assertEqual(reward.state, "frozen")
        self.release_job(pickup_day + timedelta(days=7, minutes=1))
        self.assertEqual(reward.state, "available")

    def test_staff_mark_delivered_starts_the_return_window(self):
        self.rule("level", level=1, basis="fixed", value=100, freeze_mode="delivery", return_window_days=3)
        _line, reward = self.reward_line(self.buyer, {"referral": 330.0})
        with freeze_time(self.start):
            reward.action_mark_delivered()
        self.assertEqual(reward.release_date, self.start + timedelta(days=3))

    def test_no_freeze_releases_at_once(self):
        self.rule("level", level=1, basis="fixed", value=100, freeze_mode="none")
        _line, reward = self.reward_line(self.buyer, {"referral": 330.0})
        self.assertEqual((reward.state, self.wallet(self.referrer).cash_balance), ("available", 100.0))
        self.assertNoBreach()

    def test_only_managers_release_early(self):
        self.rule("level", level=1, basis="fixed", value=100)
        _line, reward = self.reward_line(self.buyer, {"referral": 330.0})
        user = new_test_user(self.env, "reward_user", groups="base.group_user,points_pool.group_points_user",
                             company_id=self.company.id, company_ids=[self.company.id])
        with self.assertRaises(AccessError):
            reward.with_user(user).action_release_now()
        reward.action_release_now()
        self.assertEqual(reward.state, "available")

    def test_batch_accounting_posts_reward_rows_with_the_next_batch(self):
        self.pool.accounting_mode = "batch"
        self.rule("level", level=1, basis="fixed", value=100, freeze_mode="none")
        _line, reward = self.reward_line(self.buyer, {"referral": 330.0})
        self.assertFalse(reward.ledger_ids.move_id)
        self.assertNoBreach()
        self.pool.action_post_pending_entries()
        self.assertTrue(all(reward.ledger_ids.mapped("move_id")))
        self.assertNoBreach()
