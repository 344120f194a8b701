from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import PointsCase


@tagged("post_install", "-at_install")
class TestAccess(PointsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.user_b = new_test_user(cls.env, "points_user_b", groups="base.group_user,points_pool.group_points_manager",
                                   company_id=cls.company_b.id, company_ids=[cls.company_b.id])
        cls.portal_user = new_test_user(cls.env, "points_portal", groups="base.group_portal",
                                        company_id=cls.company.id, company_ids=[cls.company.id])
        cls.portal_partner = cls.portal_user.partner_id
        cls.pool.contribute(cls.portal_partner, 1000, 300, source=cls.env["res.partner.category"].create({"name": "P"}))
        cls.pool.contribute(cls.member1, 1000, 300, source=cls.env["res.partner.category"].create({"name": "M"}))

    def test_other_company_sees_nothing(self):
        env_b = self.env(user=self.user_b, context={"allowed_company_ids": self.company_b.ids})
        self.assertFalse(env_b["points.pool"].search([("company_id", "=", self.company.id)]))
        self.assertFalse(env_b["points.wallet"].search([("company_id", "=", self.company.id)]))
        self.assertFalse(env_b["points.ledger"].search([("company_id", "=", self.company.id)]))
        with self.assertRaises(AccessError):
            self.pool.with_env(env_b).read(["balance"])
        with self.assertRaises(AccessError):
            self.pool.with_env(env_b).contribute(self.member2, 1000, 300)

    def test_portal_member_sees_only_own_wallet_and_ledger(self):
        env_portal = self.env(user=self.portal_user)
        wallets = env_portal["points.wallet"].search([])
        self.assertEqual(wallets.partner_id, self.portal_partner)
        rows = env_portal["points.ledger"].search([])
        self.assertEqual(rows.partner_id, self.portal_partner)
        with self.assertRaises(AccessError):
            self.wallet(self.member1).with_env(env_portal).read(["points"])

    def test_portal_member_sells_own_points_only(self):
        env_portal = self.env(user=self.portal_user)
        pool = self.pool.with_env(env_portal)
        row = pool.sell(self.portal_partner, 10)
        self.assertEqual(row.partner_id, self.portal_partner)
        with self.assertRaises(AccessError):
            pool.sell(self.member1, 10)
        with self.assertRaises(AccessError):
            pool.contribute(self.portal_partner, 1000, 300)

    def test_points_user_reads_but_cannot_write_the_pool(self):
        user = new_test_user(self.env, "points_reader", groups="base.group_user,points_pool.group_points_user",
                             company_id=self.company.id, company_ids=[self.company.id])
        pool = self.pool.with_user(user)
        self.assertEqual(pool.balance, self.pool.balance)
        with self.assertRaises(AccessError):
            pool.write({"mint_ratio": 0.5})
