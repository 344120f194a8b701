from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.points_rebate.models import points_rebate_run

from .common import RebateCase


@tagged("post_install", "-at_install")
class TestReleaseRun(RebateCase):
    """Each static release is recorded as a run: its request, entries, ledger rows and one journal entry."""

    def test_a_release_run_records_its_request_entries_rows_and_journal_entry(self):
        members = self.make_members(2, prefix="Run record ")
        for member in members:
            self.pay(member, 100.0, "2025-08-01 08:00:00")
        self.pay(members[0], 100.0, "2025-08-01 09:00:00")
        late = self.pay(members[1], 100.0, "2025-08-10 09:00:00")
        self.fund(10000.0)
        self.assertEqual(self.release("2025-08-20"), 3)
        run = self.env["points.rebate.run"].search([("pool_id", "=", self.pool.id)])
        self.assertEqual(len(run), 1)
        self.assertEqual((run.state, run.entry_count, run.member_count, run.amount), ("done", 3, 2, 300.0))
        self.assertEqual((run.request_id.kind, run.request_id.rebate_release_count), ("rebate_release", 3))
        self.assertEqual(str(run.date), "2025-08-20")
        self.assertNotIn(self.entry_of(late), run.entry_ids)
        self.assertEqual(set(run.entry_ids.mapped("state")), {"released"})
        self.assertEqual(run.ledger_ids, run.entry_ids.release_ledger_id)
        self.assertEqual(sorted(run.ledger_ids.mapped("cash_delta")), [100.0, 200.0])
        self.assertEqual(run.ledger_ids.move_id, run.move_id)
        self.assertEqual(run.move_id.state, "posted")
        wallet_lines = run.move_id.line_ids.filtered(lambda line: line.account_id == self.pool.wallet_account_id)
        self.assertEqual(sorted(wallet_lines.mapped("credit")), [100.0, 200.0])
        self.assertEqual(sum(run.move_id.line_ids.filtered(
            lambda line: line.account_id == self.pool.rebate_account_id).mapped("debit")), 300.0)
        self.assertEqual(self.release("2025-08-20"), 0)
        second = self.env["points.rebate.run"].search([("pool_id", "=", self.pool.id)]) - run
        self.assertEqual((second.state, second.entry_count, second.move_id.id, second.ledger_ids.ids),
                         ("done", 0, False, []))
        self.assertNoBreach()

    def test_a_run_paying_many_members_posts_a_line_per_member_in_one_statement(self):
        members = self.make_members(3, prefix="Bulk run ")
        for index, member in enumerate(members):
            for _order in range(index + 1):
                self.pay(member, 100.0, "2025-08-01 08:00:00")
        self.fund(10000.0)
        before = self.wallet_account_balances(members)
        with patch.object(points_rebate_run, "BULK_MEMBERS", 1):
            self.assertEqual(self.release("2025-08-20"), 6)
        run = self.env["points.rebate.run"].search([("pool_id", "=", self.pool.id)])
        move = run.move_id
        self.assertEqual((move.state, len(move.line_ids)), ("posted", 4))
        self.assertEqual(run.ledger_ids.move_id, move)
        wallet_lines = move.line_ids.filtered(lambda line: line.account_id == self.pool.wallet_account_id)
        self.assertEqual(sorted((line.partner_id.id, line.credit, line.balance, line.amount_residual)
                                for line in wallet_lines),
                         [(member.id, 100.0 * n, -100.0 * n, -100.0 * n) for n, member in enumerate(members, 1)])
        self.assertEqual(sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit")))
        self.assertEqual(set(wallet_lines.mapped("parent_state")), {"posted"})
        after = self.wallet_account_balances(members)
        self.assertEqual([after[member.id] - before[member.id] for member in members], [-100.0, -200.0, -300.0])
        self.assertNoBreach()

    def wallet_account_balances(self, members):
        self.env.invalidate_all()
        lines = self.env["account.move.line"].search([("account_id", "=", self.pool.wallet_account_id.id),
                                                      ("partner_id", "in", members.ids),
                                                      ("parent_state", "=", "posted")])
        return {member.id: round(sum(lines.filtered(lambda line: line.partner_id == member).mapped("balance")), 2)
                for member in members}

    def test_points_users_read_runs_and_only_managers_change_them(self):
        self.pay(self.member1, 100.0, "2025-08-01 08:00:00")
        self.fund(500.0)
        self.release("2025-08-20")
        run = self.env["points.rebate.run"].search([("pool_id", "=", self.pool.id)])
        user = new_test_user(self.env, "rebate_run_user", groups="base.group_user,points_pool.group_points_user",
                             company_id=self.company.id, company_ids=[self.company.id])
        self.assertEqual(self.env["points.rebate.run"].with_user(user).search([("pool_id", "=", self.pool.id)]), run)
        with self.assertRaises(AccessError):
            run.with_user(user).write({"entry_count": 0})
        other = new_test_user(
            self.env, "rebate_run_other", groups="base.group_user,points_pool.group_points_manager",
            company_id=self.env.ref("base.main_company").id, company_ids=[self.env.ref("base.main_company").id])
        Run = self.env["points.rebate.run"].with_user(other).with_context(allowed_company_ids=other.company_ids.ids)
        self.assertFalse(Run.search([("id", "=", run.id)]))
