from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.points_pool.tests.common import PointsCase


@tagged("post_install", "-at_install")
class TestLooseReferences(PointsCase):
    """The ledger names members, wallets and requests without foreign keys; the code keeps what the keys kept."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contribution = cls.pool.contribute(cls.member1, 1000, 300, source=cls.env["res.partner.category"].create(
            {"name": "Order 1"}))
        cls.row = cls.contribution.ledger_id

    def merge(self, partners, destination):
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge(partners.ids, destination)

    def test_the_ledger_keeps_no_foreign_key_on_member_wallet_and_request(self):
        self.env.cr.execute("""SELECT a.attname FROM pg_constraint c
                                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                                WHERE c.conrelid = 'points_ledger'::regclass AND c.contype = 'f'""")
        keys = {name for (name,) in self.env.cr.fetchall()}
        self.assertFalse(keys & {"partner_id", "wallet_id", "request_id"})
        self.assertIn("pool_id", keys)
        self.assertEqual((self.row.partner_id, self.row.wallet_id, self.row.request_id),
                         (self.member1, self.wallet(self.member1), self.contribution))

    def test_a_wallet_with_movements_cannot_be_deleted(self):
        wallet = self.wallet(self.member1)
        before = self.snapshot()
        with self.assertRaisesRegex(UserError, "Wallets with movements cannot be deleted"):
            wallet.unlink()
        self.assertEqual(self.snapshot(), before)
        self.assertTrue(self.wallet(self.member2).unlink(), "a wallet nothing names can go")

    def test_a_member_named_by_the_ledger_cannot_be_deleted(self):
        with self.assertRaisesRegex(UserError, "Members named by points movements cannot be deleted"):
            self.member1.unlink()
        self.assertTrue(self.member1.exists())
        self.assertTrue(self.member4.unlink(), "a contact the suite never named can go")

    def test_merging_a_member_into_another_contact_moves_their_rows(self):
        duplicate = self.env["res.partner"].create({"name": "Member 1 (duplicate)"})
        wallet = self.wallet(self.member1)
        self.merge(self.member1 | duplicate, duplicate)
        self.assertFalse(self.member1.exists())
        self.assertEqual(wallet.partner_id, duplicate)
        self.assertEqual(self.row.partner_id, duplicate)
        self.assertEqual(self.contribution.partner_id, duplicate)
        self.assertNoBreach()

    def test_two_wallets_of_one_pool_cannot_be_merged(self):
        self.pool.contribute(self.member2, 1000, 300, source=self.order("Order 2"))
        before = self.snapshot()
        with self.assertRaisesRegex(UserError, "each have a points wallet"):
            self.merge(self.member1 | self.member2, self.member2)
        self.assertEqual(self.snapshot(), before)
        self.assertTrue(self.member1.exists())
