from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import WalletServiceCase


@tagged("post_install", "-at_install")
class TestWalletServiceAccess(WalletServiceCase):
    """Member A cannot see or act on member B's wallet, ledger, withdrawals or transfers through RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool.transfer_enabled = True
        cls.user_a, cls.user_b = (
            new_test_user(cls.env, login, groups="base.group_portal", company_id=cls.company.id,
                          company_ids=[cls.company.id])
            for login in ("wd_portal_a", "wd_portal_b"))
        cls.member_a, cls.member_b = cls.user_a.partner_id, cls.user_b.partner_id
        for member in (cls.member_a, cls.member_b):
            cls.pool.contribute(member, 1000, 300)
            cls.pool.sell(member, 50)
        cls.withdrawal_b = cls.env["points.withdrawal"]._request(cls.member_b, 10, company=cls.company)
        cls.transfer_b = cls.env["points.transfer"]._transfer(cls.member_b, cls.member1, cash=5, company=cls.company)

    def as_user(self, user):
        return self.env(user=user, context={"allowed_company_ids": self.company.ids})

    def test_member_requests_and_cancels_own_withdrawal(self):
        env_a = self.as_user(self.user_a)
        withdrawal = env_a["points.withdrawal"]._request(self.member_a, 20)
        self.assertEqual((withdrawal.partner_id, withdrawal.state, withdrawal.requested_by),
                         (self.member_a, "requested", self.user_a))
        self.assertEqual(env_a["points.withdrawal"].search([]), withdrawal)
        withdrawal.action_cancel()
        self.assertEqual(withdrawal.state, "cancelled")
        self.assertNoBreach()

    def test_member_cannot_request_or_transfer_for_another_member(self):
        env_a = self.as_user(self.user_a)
        self.assertRefused(AccessError, "own wallet", env_a["points.withdrawal"]._request, self.member_b, 10)
        self.assertRefused(AccessError, "own wallet", env_a["points.transfer"]._transfer, self.member_b,
                           self.member_a, cash=5)

    def test_member_cannot_read_cancel_or_approve_another_members_withdrawal(self):
        env_a = self.as_user(self.user_a)
        other = self.withdrawal_b.with_env(env_a)
        with self.assertRaises(AccessError):
            other.read(["amount"])
        self.assertRefused(AccessError, "", other.action_cancel)
        self.assertRefused(AccessError, "Points Manager", other.action_approve)
        self.assertRefused(AccessError, "Points Manager", other.action_reject, "mine now")
        own = env_a["points.withdrawal"]._request(self.member_a, 20)
        self.assertRefused(AccessError, "Points Manager", own.action_approve)
        self.assertEqual(self.withdrawal_b.state, "requested")

    def test_member_sees_only_own_wallet_ledger_and_transfers(self):
        env_a = self.as_user(self.user_a)
        self.assertEqual(env_a["points.wallet"].search([]).partner_id, self.member_a)
        self.assertEqual(env_a["points.ledger"].search([]).partner_id, self.member_a)
        self.assertFalse(env_a["points.transfer"].search([]))
        with self.assertRaises(AccessError):
            self.wallet(self.member_b).with_env(env_a).read(["cash_balance"])
        with self.assertRaises(AccessError):
            self.transfer_b.with_env(env_a).read(["amount"])
        sent = env_a["points.transfer"]._transfer(self.member_a, self.member_b, cash=3)
        # Both sides see the transfer; each sees only their own ledger row.
        self.assertEqual(env_a["points.transfer"].search([]), sent)
        self.assertIn(sent, self.as_user(self.user_b)["points.transfer"].search([]))
        self.assertEqual(env_a["points.ledger"].search([("transfer_id", "=", sent.id)]).partner_id, self.member_a)
        self.assertNoBreach()

    def test_internal_users_without_the_points_manager_group_cannot_approve(self):
        employee = new_test_user(self.env, "wd_employee", groups="base.group_user", company_id=self.company.id,
                                 company_ids=[self.company.id])
        points_user = new_test_user(self.env, "wd_points_user", groups="base.group_user,points_pool.group_points_user",
                                    company_id=self.company.id, company_ids=[self.company.id])
        for user in (employee, points_user):
            self.assertRefused(AccessError, "Points Manager",
                               self.withdrawal_b.with_env(self.as_user(user)).action_approve)
        self.assertRefused(AccessError, "own wallet", self.env["points.withdrawal"].with_env(
            self.as_user(employee))._request, self.member_b, 10)
        # A Points User may ask on a member's behalf.
        staff_request = self.env["points.withdrawal"].with_env(self.as_user(points_user))._request(self.member_a, 10)
        self.assertEqual(staff_request.requested_by, points_user)
        self.withdrawal_b.with_env(self.as_user(self.manager)).action_approve()
        self.assertEqual(self.withdrawal_b.state, "paid")
        self.assertNoBreach()

    def test_managers_of_another_company_cannot_approve(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        outsider = new_test_user(self.env, "wd_other_manager",
                                 groups="base.group_user,points_pool.group_points_manager",
                                 company_id=other.id, company_ids=[other.id])
        env_other = self.env(user=outsider, context={"allowed_company_ids": other.ids})
        self.assertRefused(AccessError, "", self.withdrawal_b.with_env(env_other).action_approve)
