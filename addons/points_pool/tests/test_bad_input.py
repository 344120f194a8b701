from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import PointsCase


@tagged("post_install", "-at_install")
class TestBadInput(PointsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool.contribute(cls.member1, 1000, 300, source=cls.env["res.partner.category"].create({"name": "O1"}))

    def assertRefused(self, error, call):
        before = self.snapshot()
        with self.assertRaises(error):
            call()
        self.assertEqual(self.snapshot(), before)

    def test_zero_or_negative_amounts_are_refused(self):
        for spend, contribution in ((0, 0), (1000, 0), (1000, -5), (-1000, 300), (0, 300)):
            with self.subTest(spend=spend, contribution=contribution):
                self.assertRefused(UserError, lambda: self.pool.contribute(self.member2, spend, contribution))
        self.assertRefused(UserError, lambda: self.pool.contribute(self.member2, 100, 300))
        self.assertRefused(UserError, lambda: self.pool.inject(0, "nothing"))
        self.assertRefused(UserError, lambda: self.pool.inject(-10, "negative"))
        self.assertRefused(UserError, lambda: self.pool.sell(self.member1, 0))
        self.assertRefused(UserError, lambda: self.pool.sell(self.member1, -1))
        self.assertRefused(UserError, lambda: self.pool.sell(self.member1, 0.00001))

    def test_selling_more_than_held_is_refused(self):
        self.assertRefused(UserError, lambda: self.pool.sell(self.member1, 210.0001))
        self.assertRefused(UserError, lambda: self.pool.sell(self.member2, 1))
        self.assertRefused(UserError, lambda: self.pool.redeem(self.member1, 500, self.order("Pay")))

    def test_wrong_company_is_refused(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        stranger = self.env["res.partner"].create({"name": "Stranger", "company_id": other.id})
        self.assertRefused(UserError, lambda: self.pool.contribute(stranger, 1000, 300))
        foreign_source = self.env["res.partner"].create({"name": "Foreign doc", "company_id": other.id})
        self.assertRefused(UserError, lambda: self.pool.contribute(self.member2, 1000, 300, source=foreign_source))
        foreign_account = self.env["points.pool"]._get_for_company(other).injection_account_id
        self.assertRefused(UserError, lambda: self.pool.inject(10, "wrong account", account=foreign_account))

    def test_inactive_member_is_refused(self):
        self.wallet(self.member1).action_block()
        self.assertRefused(UserError, lambda: self.pool.contribute(self.member1, 1000, 300))
        self.assertRefused(UserError, lambda: self.pool.sell(self.member1, 1))
        self.member2.active = False
        self.assertRefused(UserError, lambda: self.pool.contribute(self.member2, 1000, 300))

    def test_non_manager_cannot_inject(self):
        user = new_test_user(self.env, "points_clerk", groups="base.group_user,points_pool.group_points_user",
                             company_id=self.company.id, company_ids=[self.company.id])
        pool = self.pool.with_user(user)
        self.assertRefused(AccessError, lambda: pool.inject(100, "not allowed"))
        outsider = new_test_user(self.env, "no_points", groups="base.group_user",
                                 company_id=self.company.id, company_ids=[self.company.id])
        self.assertRefused(AccessError, lambda: self.pool.with_user(outsider).contribute(self.member2, 1000, 300))
        self.assertRefused(AccessError, lambda: self.pool.with_user(outsider).sell(self.member1, 1))

    def test_invalid_parameters_are_refused(self):
        for field_name, value in (("mint_ratio", 1.0), ("mint_ratio", 0.0), ("sell_fee_rate", 1.0),
                                  ("exit_multiple", -1.0), ("min_sell_amount", -1.0)):
            with self.subTest(field=field_name), self.assertRaises(ValidationError):
                self.pool[field_name] = value
                self.pool.flush_recordset()

    def test_initial_price_must_be_positive(self):
        fresh = self.env["points.pool"]._get_for_company(self.env["res.company"].create({"name": "Fresh Co"}))
        with self.assertRaises(ValidationError):
            fresh.initial_price = 0.0
            fresh.flush_recordset()

    def test_initial_price_is_fixed_once_the_pool_has_events(self):
        with self.assertRaises(UserError):
            self.pool.initial_price = 2.0

    def test_minimums_before_selling(self):
        self.pool.min_lifetime_spend = 5000
        self.assertRefused(UserError, lambda: self.pool.sell(self.member1, 10))
        self.pool.min_lifetime_spend = 0
        self.pool.min_sell_amount = 100
        self.assertRefused(UserError, lambda: self.pool.sell(self.member1, 10))
        self.pool.sell(self.member1, 100)
