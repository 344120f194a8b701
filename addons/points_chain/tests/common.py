from odoo.fields import Command

from odoo.addons.points_sale.tests.common import PointsSaleCase


class ChainCase(PointsSaleCase):
    """A 1,000.00 package product of a chain program 2+1 (SPEC §10) paid through real sales orders, and a referral
    tree: U → u1, u2, T; T → t1, t2, t3, A; A → a1, a2, X; a1 → Y (everyone a member, nobody a chain agent yet)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["points.allocation.plan"].create({"name": "Package", "company_id": cls.company.id,
                                                             "line_ids": [
            Command.create({"bucket": "pool", "basis": "price", "value": 30.0}),
            Command.create({"bucket": "referral", "basis": "price", "value": 33.0}),
            Command.create({"bucket": "cost", "basis": "price", "value": 20.0}),
        ]})
        cls.product.product_tmpl_id.points_plan_id = cls.plan
        wizard = cls.env["points.depth.limit.wizard"].create(
            {"pool_id": cls.pool.id, "new_limit": 100, "acknowledged": True})
        wizard.action_confirm()
        cls.program = cls.env["points.chain.program"].create({
            "name": "Package 2+1", "company_id": cls.company.id,
            "product_tmpl_ids": [Command.set(cls.product.product_tmpl_id.ids)]})
        cls.program.action_enable()
        Partner = cls.env["res.partner"]
        cls.m = {}
        for key, referrer in [("U", None), ("u1", "U"), ("u2", "U"), ("T", "U"), ("t1", "T"), ("t2", "T"),
                              ("t3", "T"), ("A", "T"), ("a1", "A"), ("a2", "A"), ("X", "A"), ("Y", "a1")]:
            cls.m[key] = Partner.create({"name": key})
            # Only members (a wallet in the company's pool) refer.
            cls.env["points.wallet"]._get_for_partner(cls.m[key], cls.company)
            if referrer:
                cls.m[key]._bind_referrer(cls.m[referrer], via="staff", reason="test tree")

    def buy(self, key):
        partner = self.m[key] if isinstance(key, str) else key
        order = self.sell(partner=partner)
        invoice = self.invoice(order)
        self.pay(invoice)
        return invoice

    def member(self, key):
        return self.env["points.chain.member"].search([("program_id", "=", self.program.id),
                                                       ("partner_id", "=", self.m[key].id)])

    def rewards(self, invoice):
        lines = invoice.invoice_line_ids
        return self.env["points.reward"].search([("source_model", "=", lines._name), ("source_id", "in", lines.ids),
                                                 ("chain_program_id", "=", self.program.id)])

    def split(self, rewards):
        """{(member name, kind): (paid part, held part)}"""
        result = {}
        for reward in rewards:
            key = (reward.partner_id.name, reward.chain_kind)
            paid, held = result.get(key, (0.0, 0.0))
            result[key] = (paid + (0 if reward.chain_fund else reward.amount),
                           held + (reward.amount if reward.chain_fund else 0))
        return result

    def build_to_a(self):
        for key in ["U", "u1", "u2", "T", "t1", "t2", "t3"]:
            self.buy(key)
