from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import PortalCase


@tagged("post_install", "-at_install")
class TestAccessRpc(PortalCase):
    """What a portal member reaches through the ORM (as over JSON-RPC): only their own records."""

    def test_member_cannot_read_another_members_records(self):
        env_a = self.member_env(self.user_a)
        token_b = self.member_env(self.user_b)["points.api.token"]._issue("Phone B")[0]
        records_b = {
            "points.wallet": self.wallet_of(self.b),
            "points.ledger": self.env["points.ledger"].search([("partner_id", "=", self.b.id)]),
            "points.reward": self.reward_b,
            "points.withdrawal": self.withdrawal_b,
            "points.api.token": token_b,
        }
        for model, records in records_b.items():
            with self.subTest(model=model):
                self.assertTrue(records)
                self.assertFalse(env_a[model].search([("id", "in", records.ids)]))
                with self.assertRaises(AccessError):
                    records.with_env(env_a).read(["display_name"])
        self.assertEqual(env_a["points.wallet"].search([]), self.wallet_of(self.a))
        self.assertEqual(env_a["points.ledger"].search([]).partner_id, self.a)
        self.assertFalse(env_a["points.reward"].search([]))
        self.assertFalse(env_a["points.withdrawal"].search([]))

    def test_member_cannot_act_on_another_members_wallet(self):
        env_a = self.member_env(self.user_a)
        before = self.snapshot()
        with self.assertRaises(AccessError):
            self.pool.with_env(env_a).sell(self.b, 1)
        with self.assertRaises(AccessError):
            env_a["points.withdrawal"]._request(self.b, 5.0, company=self.company)
        with self.assertRaises(AccessError):
            self.withdrawal_b.with_env(env_a).action_cancel()
        with self.assertRaises(AccessError):
            self.c.with_env(env_a)._bind_referrer(self.a, via="code")
        with self.assertRaises(AccessError):
            self.withdrawal_b.with_env(env_a).action_approve()
        with self.assertRaises(AccessError):
            self.wallet_of(self.b).with_env(env_a).write({"cash_balance": 0})
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.withdrawal_b.state, "requested")
        self.assertEqual(self.c.referrer_id, self.b)

    def test_only_points_managers_approve_withdrawals(self):
        employee = new_test_user(self.env, "plain_employee", groups="base.group_user", company_id=self.company.id,
                                 company_ids=[self.company.id])
        points_user = new_test_user(self.env, "points_clerk", groups="base.group_user,points_pool.group_points_user",
                                    company_id=self.company.id, company_ids=[self.company.id])
        before = self.snapshot()
        for user in (employee, points_user, self.user_b):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.withdrawal_b.with_env(self.member_env(user)).action_approve()
        with self.assertRaises(AccessError):
            self.withdrawal_b.with_env(self.member_env(employee)).action_reject("no")
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.withdrawal_b.state, "requested")

    def test_member_cannot_create_or_change_tokens_directly(self):
        env_a = self.member_env(self.user_a)
        with self.assertRaises(AccessError):
            env_a["points.api.token"].create({"name": "Forged", "partner_id": self.b.id, "user_id": self.user_b.id,
                                              "company_id": self.company.id, "prefix": "abc", "secret_hash": "x"})
        token = env_a["points.api.token"]._issue("Phone A")[0]
        with self.assertRaises(AccessError):
            token.write({"revoked": False, "expires_at": False})
        with self.assertRaises(AccessError):
            env_a["points.api.usage"].search([])

    def test_member_binding_with_code_changes_only_their_own_referrer(self):
        env_a = self.member_env(self.user_a)
        env_a["points.member.service"]._bind_referral(self.b.referral_code)
        self.assertEqual(self.a.referrer_id, self.b)
        with self.assertRaises(UserError):
            self.member_env(self.user_b)["points.member.service"]._bind_referral(self.a.referral_code)
        self.assertFalse(self.b.referrer_id)
