import threading
import uuid
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import PortalCase


@tagged("post_install", "-at_install")
class TestApiToken(PortalCase):
    def issue(self, user, name="Phone", days=None):
        return self.member_env(user)["points.api.token"]._issue(name, days=days)

    def test_only_the_hash_of_a_new_token_is_stored(self):
        token, plain = self.issue(self.user_a)
        self.assertTrue(plain.startswith(f"pts_{token.prefix}_"))
        self.assertEqual((token.partner_id, token.user_id, token.company_id), (self.a, self.user_a, self.company))
        stored = token.sudo().read(["secret_hash"])[0]["secret_hash"]
        self.assertNotIn(plain.split("_", 2)[2], stored)
        self.assertEqual(stored, token._hash(plain))
        self.assertEqual(self.env["points.api.token"]._authenticate(plain), token)
        self.assertTrue(token.last_used)

    def test_wrong_revoked_or_expired_tokens_do_not_authenticate(self):
        Token = self.env["points.api.token"]
        token, plain = self.issue(self.user_a, days=30)
        for wrong in ("", "Bearer", plain + "x", plain.replace("pts_", "abc_"), f"pts_{token.prefix}_guess"):
            with self.subTest(wrong=wrong):
                self.assertFalse(Token._authenticate(wrong))
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            self.assertFalse(Token._authenticate(plain))
            self.assertEqual(token.state, "expired")
        self.assertEqual(Token._authenticate(plain), token)
        token.with_user(self.user_a).action_revoke()
        self.assertEqual((token.revoked, token.state), (True, "revoked"))
        self.assertFalse(Token._authenticate(plain))

    def test_token_of_an_archived_user_does_not_authenticate(self):
        token, plain = self.issue(self.user_a)
        self.user_a.active = False
        self.assertFalse(self.env["points.api.token"]._authenticate(plain))

    def test_issuing_refuses_bad_input(self):
        for name, days in (("", None), ("   ", None), ("x" * 65, None), ("Phone", 0), ("Phone", 5000)):
            with self.subTest(name=name, days=days), self.assertRaises(UserError):
                self.issue(self.user_a, name, days)
        self.assertFalse(self.env["points.api.token"].search([("user_id", "=", self.user_a.id)]))

    def test_members_revoke_only_their_own_tokens(self):
        token_b, _plain = self.issue(self.user_b)
        with self.assertRaises(AccessError):
            token_b.with_user(self.user_a).action_revoke()
        self.assertFalse(token_b.revoked)
        manager = new_test_user(self.env, "token_manager", groups="base.group_user,points_pool.group_points_manager",
                                company_id=self.company.id, company_ids=[self.company.id])
        token_b.with_user(manager).action_revoke()
        self.assertTrue(token_b.revoked)

    def test_rate_limit_is_a_sliding_window_of_one_minute(self):
        Usage = self.env["points.api.usage"]
        key_a, key_b = f"member:{self.a.id}", f"member:{self.b.id}"

        def hit(key, limit=3):
            return Usage._count_call(self.env.cr, key, limit)

        with freeze_time("2026-03-01 10:00:58"):
            self.assertEqual([hit(key_a) for _call in range(3)], [True, True, True])
            self.assertTrue(hit(key_b), "each member has their own count")
        with freeze_time("2026-03-01 10:01:00"):
            # A fixed minute would start a new count here and let 2 × the limit through.
            self.assertFalse(hit(key_a), "the calls of the last 60 seconds count, across the minute boundary")
            self.assertTrue(hit(key_a, 0), "0 means no limit")
        with freeze_time("2026-03-01 10:01:58"):
            self.assertEqual([hit(key_a), hit(key_a)], [True, False], "the two calls of 10:01:00 still count")
        with freeze_time("2026-03-01 10:02:59"):
            self.assertTrue(hit(key_a))
        with freeze_time("2026-03-01 12:00:00"):
            Usage._cron_forget_old_counters()
        self.assertFalse(Usage.search([("key", "in", (key_a, key_b))]))

    def test_parallel_calls_count_without_serialization_failures(self):
        """16 calls at once, each in its own transaction (as parallel workers): the limit of 10 holds exactly."""
        Usage = self.env["points.api.usage"]
        key = f"test:parallel:{uuid.uuid4().hex}"
        barrier = threading.Barrier(16)
        results, errors = [], []

        def call():
            try:
                barrier.wait(timeout=30)
                results.append(Usage._hit(key, 10))
            except Exception as error:  # noqa: BLE001
                errors.append(error)

        threads = [threading.Thread(target=call) for _index in range(16)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        finally:
            with self.registry.cursor() as cr:  # the calls committed in their own transactions
                cr.execute(SQL("DELETE FROM points_api_usage WHERE key = %s RETURNING id", key))
                recorded = len(cr.fetchall())
        self.assertEqual(errors, [])
        self.assertEqual((results.count(True), results.count(False), recorded), (10, 6, 16))

    def test_negative_rate_limit_is_refused(self):
        with self.assertRaises(UserError):
            self.pool.api_rate_limit = -1

    def test_managers_see_the_tokens_of_their_companies_only(self):
        token_a, _plain = self.issue(self.user_a)
        manager = new_test_user(self.env, "token_viewer", groups="base.group_user,points_pool.group_points_manager",
                                company_id=self.company.id, company_ids=[self.company.id])
        self.assertIn(token_a, self.env["points.api.token"].with_user(manager).search([]))
        other_company = self.env["res.company"].create({"name": "Other Portal Co"})
        outsider = new_test_user(self.env, "token_outsider",
                                 groups="base.group_user,points_pool.group_points_manager",
                                 company_id=other_company.id, company_ids=[other_company.id])
        env_outsider = self.env(user=outsider, context=dict(self.env.context, allowed_company_ids=other_company.ids))
        self.assertNotIn(token_a, env_outsider["points.api.token"].search([]))
        with self.assertRaises(AccessError):
            token_a.with_env(env_outsider).action_revoke()
        self.assertFalse(token_a.revoked)
