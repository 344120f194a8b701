from datetime import date, datetime

from freezegun import freeze_time

from odoo.fields import Command

from odoo.addons.points_referral.tests.common import ReferralCase


class RebateCase(ReferralCase):
    """ReferralCase plus a plan feeding 10% of the price to the rebate pool and a product on it.

    Its test company's rebate pool has the SPEC §7 defaults: minimum 100.00, 100% of the line,
    15-day lock, 20% acceleration.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rebate_plan = cls.env["points.allocation.plan"].create({
            "name": "Rebate plan", "company_id": cls.company.id,
            "line_ids": [Command.create({"bucket": bucket, "basis": "price", "value": value}) for bucket, value in (
                ("pool", 30), ("rebate", 10), ("platform", 40), ("cost", 20))],
        })
        cls.rebate_product = cls.env["product.product"].create({"name": "Union package", "list_price": 100.0})
        cls.rebate_product.product_tmpl_id.with_company(cls.company).points_plan_id = cls.rebate_plan
        cls.injection_account = cls.pool.injection_account_id

    def pay(self, buyer, amount=100.0, when="2025-08-01 10:00:00", name=None, product=None):
        """A line of ``amount`` paid by ``buyer`` at ``when`` (UTC), through the allocation hooks."""
        with freeze_time(when):
            return self.pay_line(buyer, amount, product=product or self.rebate_product,
                                 name=name or f"{buyer.name} {when} {amount}")

    def release(self, day):
        """The static release job of ``day``, applied at once; returns how many entries it released."""
        with freeze_time(f"{day} 12:00:00"):
            request = self.pool._rebate_release_due(today=date.fromisoformat(day))
            self.pool._apply_pending()
        self.assertEqual(request.state, "applied")
        return request.rebate_release_count

    def accelerating_referee(self, prefix):
        """A referrer's queued 100.00 and their referee's paid 100.00 line, which accelerated 20.00 of it (the rebate
        pool funded with 1,000.00): ``(referrer, entry, referee's rows, their rebate row, the accelerated row)``."""
        referrer, referee = self.make_chain(2, prefix=prefix)
        self.fund(1000.0)
        entry = self.entry_of(self.pay(referrer, 100.0, "2025-08-01 08:00:00"))
        rows = self.pay(referee, 100.0, "2025-08-02 08:00:00")
        accelerated = entry.ledger_ids.filtered(lambda row: row.event == "rebate_release")
        return referrer, entry, rows, rows.filtered(lambda row: row.bucket == "rebate"), accelerated

    def fund(self, amount, memo="Funding"):
        return self.pool.rebate_inject(amount, memo, account=self.injection_account)

    def entry_of(self, rows):
        line = rows[:1]._source_line()
        return self.env["points.rebate.entry"].search([("source_model", "=", line._name),
                                                       ("source_id", "=", line.id)])

    def rebate_balance(self):
        self.env.invalidate_all()
        return self.pool.rebate_balance

    def cash(self, partner):
        self.env.invalidate_all()
        return self.wallet(partner).cash_balance

    @staticmethod
    def at(text):
        return datetime.fromisoformat(text)
