from odoo import Command
from odoo.tests import tagged

from .common import RebateCase


@tagged("post_install", "-at_install")
class TestRebateReconciliation(RebateCase):
    """The reconciliation report's rebate-pool section: the pool's balance, the ledger and the rebate pool account
    agree through feeding, funding and releases; an entry posted by hand shows as a difference."""

    def figures(self):
        self.env.invalidate_all()
        sections = {section["key"]: section for section in self.pool._reconciliation_sections()}
        section = sections["rebate_pool"]
        return [round(section["reference"], 2)] + [round(value, 2) for _label, value in section["figures"]]

    def test_the_rebate_pool_reconciles(self):
        first, second = self.make_members(2, prefix="Reconcile ")
        self.pay(first, 100.0, "2025-08-01 08:00:00")
        self.pay(second, 100.0, "2025-08-01 09:00:00")
        self.assertEqual(self.figures(), [20.0, 20.0, 20.0], "each line feeds 10% of its price")
        self.fund(180.0)
        self.assertEqual(self.figures(), [200.0, 200.0, 200.0])
        self.assertEqual(self.release("2025-08-15"), 2)
        self.assertEqual(self.figures(), [0.0, 0.0, 0.0])
        self.assertEqual([self.cash(member) for member in (first, second)], [100.0, 100.0])
        self.assertNoBreach()

    def test_an_entry_posted_by_hand_shows_as_a_difference(self):
        self.fund(50.0)
        move = self.env["account.move"].create({
            "move_type": "entry", "journal_id": self.pool.journal_id.id, "company_id": self.company.id,
            "line_ids": [
                Command.create({"name": "Manual", "account_id": self.pool.rebate_expense_account_id.id,
                                "debit": 5.0}),
                Command.create({"name": "Manual", "account_id": self.pool.rebate_account_id.id, "credit": 5.0}),
            ],
        })
        move.action_post()
        self.assertEqual(self.figures(), [50.0, 50.0, 55.0])
        self.assertTrue(any(breach["name"] == "General ledger rebate pool = rebate pool balance"
                            for breach in self.pool._integrity_breaches()))
