from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.points_pool.keys import idempotency_key

from .common import PointsCase


@tagged("post_install", "-at_install")
class TestIdempotency(PointsCase):
    def test_same_source_contributes_once(self):
        order = self.order()
        first = self.pool.contribute(self.member1, 1000, 300, source=order)
        before = self.snapshot()
        again = self.pool.contribute(self.member1, 1000, 300, source=order)
        self.assertEqual(again, first)
        self.assertEqual(self.snapshot(), before)

    def test_same_source_redeems_and_injects_once(self):
        self.contribute_golden(2)
        payment = self.order("Payment")
        self.member1.property_account_receivable_id = self.env["account.account"].create({
            "name": "Receivable", "code": "121000", "account_type": "asset_receivable", "reconcile": True,
            "company_ids": [(6, 0, self.company.ids)]}).with_company(self.company)
        first = self.pool.redeem(self.member1, 10, payment)
        before = self.snapshot()
        self.assertEqual(self.pool.redeem(self.member1, 10, payment), first)
        self.assertEqual(self.snapshot(), before)
        funding = self.order("Funding")
        first = self.pool.inject(100, "subsidy", source=funding)
        before = self.snapshot()
        self.assertEqual(self.pool.inject(100, "subsidy", source=funding), first)
        self.assertEqual(self.snapshot(), before)

    def test_same_refund_reverses_once(self):
        order, credit_note = self.order(), self.order("Credit note")
        self.pool.contribute(self.member1, 1000, 300, source=order)
        self.pool.contribute(self.member2, 1000, 300, source=self.order())
        first = self.pool.reverse(order, 0.5, refund_source=credit_note)
        before = self.snapshot()
        self.assertEqual(self.pool.reverse(order, 0.5, refund_source=credit_note), first)
        self.assertEqual(self.snapshot(), before)

    def test_ledger_rows_are_immutable(self):
        request = self.pool.contribute(self.member1, 1000, 300, source=self.order())
        for record in (request.ledger_id, request):
            with self.assertRaises(UserError):
                record.sudo().write({"amount": 1})
            with self.assertRaises(UserError):
                record.sudo().unlink()

    def test_unique_key_refuses_a_duplicate_row(self):
        order = self.order()
        row = self.pool.contribute(self.member1, 1000, 300, source=order).ledger_id
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            row.sudo().copy()

    def test_keys_keep_their_stored_format(self):
        """Keys are stored: the one builder must give the strings rows were written with before it existed."""
        order = self.order()
        self.assertEqual(idempotency_key("contribute", order), f"contribute:{order._name},{order.id}")
        self.assertEqual(self.pool._source_key("restore", order, original=order),
                         f"restore:{order._name},{order.id}:{order.id}")
        self.assertEqual(idempotency_key("legacy", "pos.payment", 12), "legacy:pos.payment:12")
        self.assertEqual(idempotency_key("rebate_feed_reverse", order, ""),
                         f"rebate_feed_reverse:{order._name},{order.id}:")
        self.assertEqual(idempotency_key(order), f"{order._name},{order.id}")
        self.assertIsNone(self.pool._source_key("contribute", None))
        with self.assertRaises(ValueError):
            idempotency_key("contribute", order | self.order("Other"))
