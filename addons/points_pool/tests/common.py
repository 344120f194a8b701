from decimal import Decimal

from odoo.exceptions import UserError
from odoo.tests import TransactionCase


class PointsCase(TransactionCase):
    """A fresh company with its own pool (SPEC §3.4 parameters) and four members."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cny = cls.env.ref("base.CNY")
        cny.active = True
        cls.company = cls.env["res.company"].create({"name": "Pool Test Co", "currency_id": cny.id})
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.pool = cls.env["points.pool"]._get_for_company(cls.company)
        cls.members = cls.env["res.partner"].create([{"name": f"Member {n}"} for n in range(1, 5)])
        cls.member1, cls.member2, cls.member3, cls.member4 = cls.members

    def wallet(self, partner):
        return self.env["points.wallet"]._get_for_partner(partner, self.company)

    def order(self, name="Order"):
        """A document to stand as the source of a contribution."""
        return self.env["res.partner.category"].create({"name": name})

    def contribute_golden(self, count=4):
        """Orders of 1000.00 contributing 300.00 each, one per member."""
        return [self.pool.contribute(member, 1000, 300, source=self.order(f"Order {n}"))
                for n, member in enumerate(self.members[:count], start=1)]

    def snapshot(self):
        """Everything an event may change, to prove that a refused event changed nothing."""
        self.env.invalidate_all()
        wallets = self.env["points.wallet"].search([("pool_id", "=", self.pool.id)])
        return (
            self.pool.balance, self.pool.circulating_points, self.pool.last_price,
            self.env["points.ledger"].search_count([("pool_id", "=", self.pool.id)]),
            sorted((w.id, w.points, w.cash_balance, w.cycle_spend, w.state) for w in wallets),
            self.env["account.move"].search_count([("journal_id", "=", self.pool.journal_id.id)]),
        )

    def assertRefusal(self, code, message, func, *args, **kwargs):
        """``func`` refuses with a plain UserError saying ``message`` and carrying ``code`` (None: no code; see
        ``points_pool.exceptions.refusal``), and changes nothing."""
        before = self.snapshot()
        with self.assertRaises(UserError) as caught:
            func(*args, **kwargs)
        self.assertIs(type(caught.exception), UserError, "the web client shows it as a warning")
        self.assertEqual((getattr(caught.exception, "code", None), caught.exception.args[0]), (code, message))
        self.assertEqual(self.snapshot(), before)
        return caught.exception

    def assertPrice(self, expected):
        self.assertEqual(Decimal(str(self.pool.price)).quantize(Decimal("0.000001")), Decimal(expected))

    def assertNoBreach(self):
        self.assertEqual(self.pool._integrity_breaches(), [])
