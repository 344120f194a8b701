from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import RebateCase


@tagged("post_install", "-at_install")
class TestRebateAccess(RebateCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user, cls.direct, cls.indirect = cls.portal_team("rebate_portal")
        cls.points_user = new_test_user(cls.env, "rebate_user", groups="base.group_user,points_pool.group_points_user",
                                        company_id=cls.company.id, company_ids=[cls.company.id])
        cls.other_company_user = new_test_user(
            cls.env, "rebate_other", groups="base.group_user,points_pool.group_points_manager",
            company_id=cls.env.ref("base.main_company").id, company_ids=[cls.env.ref("base.main_company").id])

    def test_portal_members_read_only_their_own_entries(self):
        own = self.entry_of(self.pay(self.portal_user.partner_id, 100.0))
        self.entry_of(self.pay(self.direct, 100.0))
        Entry = self.env["points.rebate.entry"].with_user(self.portal_user)
        self.assertEqual(Entry.search([]), own)
        self.assertEqual(own.with_user(self.portal_user).position, 1)
        with self.assertRaises(AccessError):
            own.with_user(self.portal_user).write({"remaining": 0.0})

    def test_a_points_user_may_not_run_the_release_nor_fund_the_pool(self):
        self.pay(self.member1, 100.0)
        self.fund(500.0)
        snapshot, balance = self.snapshot(), self.rebate_balance()
        pool = self.pool.with_user(self.points_user)
        with self.assertRaises(AccessError):
            pool.action_rebate_release_now()
        with self.assertRaises(AccessError):
            pool.rebate_inject(100.0, "Not allowed")
        self.assertEqual((self.snapshot(), self.rebate_balance()), (snapshot, balance))
        self.assertTrue(self.env["points.rebate.entry"].with_user(self.points_user).search([]))

    def test_users_of_another_company_see_no_entry_of_this_one(self):
        self.pay(self.member1, 100.0)
        Entry = self.env["points.rebate.entry"].with_user(self.other_company_user).with_context(
            allowed_company_ids=self.other_company_user.company_ids.ids)
        self.assertFalse(Entry.search([("company_id", "=", self.company.id)]))

    def test_funding_with_a_bad_amount_or_another_company_account_changes_nothing(self):
        snapshot, balance = self.snapshot(), self.rebate_balance()
        for amount in (0.0, -5.0):
            with self.assertRaises(UserError):
                self.fund(amount)
        foreign = self.env["account.account"].search(
            [("company_ids", "in", self.env.ref("base.main_company").id)], limit=1)
        with self.assertRaises(UserError):
            self.pool.rebate_inject(10.0, "Foreign", account=foreign)
        self.assertEqual((self.snapshot(), self.rebate_balance()), (snapshot, balance))

    def test_funding_is_idempotent_on_its_source_and_posted(self):
        source = self.order("Funding decision")
        first = self.pool.rebate_inject(250.0, "Subsidy", account=self.injection_account, source=source)
        again = self.pool.rebate_inject(250.0, "Subsidy", account=self.injection_account, source=source)
        self.assertEqual(first, again)
        self.assertEqual(self.rebate_balance(), 250.0)
        self.assertTrue(first.ledger_id.move_id)
        self.assertNoBreach()
