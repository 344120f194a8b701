from odoo.tests import tagged

from .common import PointsCase


@tagged("post_install", "-at_install")
class TestAccounting(PointsCase):
    def gl_balance(self, account, partner=None):
        domain = [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return -sum(self.env["account.move.line"].search(domain).mapped("balance"))

    def test_install_creates_journal_and_accounts(self):
        pool = self.pool
        self.assertEqual(pool.journal_id.type, "general")
        self.assertEqual(pool.journal_id.company_id, self.company)
        self.assertEqual(pool.pool_account_id.account_type, "liability_current")
        self.assertEqual(pool.wallet_account_id.account_type, "liability_payable")
        self.assertTrue(pool.wallet_account_id.reconcile)
        self.assertEqual(pool.contribution_account_id.account_type, "expense")
        self.assertIn(self.company, pool.injection_account_id.company_ids)

    def test_every_declared_account_is_created_when_missing(self):
        specs = {field: spec for field, *spec in self.pool._get_account_specs()}
        declared = {field: (account_type, code, reconcile) for field, (_name, account_type, code, reconcile)
                    in specs.items()}
        self.assertEqual({field: declared[field] for field in (
            "pool_account_id", "wallet_account_id", "contribution_account_id", "injection_account_id")}, {
            "pool_account_id": ("liability_current", "219100", False),
            "wallet_account_id": ("liability_payable", "219200", True),
            "contribution_account_id": ("expense", "619100", False),
            "injection_account_id": ("expense", "619200", False),
        })
        self.pool.write(dict.fromkeys(specs, False))
        self.pool._ensure_accounting()
        for field, (name, account_type, code, reconcile) in specs.items():
            with self.subTest(field=field):
                account = self.pool[field]
                self.assertEqual((account.name, account.account_type, account.reconcile),
                                 (name._translate("en_US"), account_type, reconcile))
                self.assertEqual(account.code[:3], code[:3])

    def test_every_event_posts_a_balanced_entry(self):
        self.pool.exit_multiple = 1.2
        self.contribute_golden(3)
        self.pool.sell(self.member2, 10)
        self.pool.inject(2000, "subsidy", account=self.pool.injection_account_id)
        rows = self.env["points.ledger"].search([("pool_id", "=", self.pool.id)])
        self.assertEqual(set(rows.mapped("event")), {"contribute", "sell", "inject", "exit"})
        # One entry per drain of the sequencer, with one pair of lines per event.
        for move, move_rows in rows.grouped("move_id").items():
            self.assertEqual(move.state, "posted")
            self.assertEqual(move.journal_id, self.pool.journal_id)
            self.assertAlmostEqual(sum(move.line_ids.mapped("debit")), sum(move_rows.mapped("amount")), places=2)
            self.assertAlmostEqual(sum(move.line_ids.mapped("credit")), sum(move_rows.mapped("amount")), places=2)
        self.assertEqual(len(rows.filtered(lambda row: row.event == "exit").move_id.line_ids), 4,
                         "the injection and the exit it caused share their drain's entry")

    def test_pool_and_wallets_agree_with_the_general_ledger(self):
        self.contribute_golden()
        self.pool.sell(self.member1, 100)
        self.pool.sell(self.member3, 24.95)
        self.pool.reverse(self.env["points.ledger"].search(
            [("pool_id", "=", self.pool.id), ("partner_id", "=", self.member1.id), ("event", "=", "contribute")]
        ).source_ref)
        self.assertAlmostEqual(self.gl_balance(self.pool.pool_account_id), self.pool.balance, places=2)
        for member in self.members:
            wallet = self.wallet(member)
            self.assertAlmostEqual(self.gl_balance(self.pool.wallet_account_id, member), wallet.cash_balance,
                                   places=2)
        self.assertNoBreach()

    def test_integrity_check_lists_a_breach(self):
        self.contribute_golden(2)
        self.env.cr.execute("UPDATE points_wallet SET points = points + 1 WHERE id = %s", [self.wallet(self.member1).id])
        self.env.invalidate_all()
        check = self.env["points.integrity.check"].create({"pool_id": self.pool.id})
        check.action_run()
        self.assertIn("Σ wallet points = circulating points", check.issue_ids.mapped("name"))
        self.assertEqual(check.issue_ids.filtered(lambda i: "wallet points" in i.name).actual, 358.0)

    def test_batch_mode_posts_one_entry_for_waiting_events(self):
        self.pool.accounting_mode = "batch"
        self.pool.exit_multiple = 1.2
        self.contribute_golden(3)
        self.pool.sell(self.member2, 10)
        self.pool.inject(2000, "subsidy", account=self.pool.injection_account_id)
        rows = self.env["points.ledger"].search([("pool_id", "=", self.pool.id)])
        self.assertFalse(rows.move_id, "events wait for the batch")
        self.assertEqual(self.pool.pending_entry_count, len(rows))
        self.assertNoBreach()
        self.env["points.pool"]._cron_post_pending_entries()
        self.assertEqual(len(rows.move_id), 1)
        self.assertEqual(rows.move_id.state, "posted")
        self.assertAlmostEqual(self.gl_balance(self.pool.pool_account_id), self.pool.balance, places=2)
        for member in self.members:
            self.assertAlmostEqual(self.gl_balance(self.pool.wallet_account_id, member),
                                   self.wallet(member).cash_balance, places=2)
        self.assertNoBreach()

    def test_batch_mode_still_posts_redemptions_at_once(self):
        self.pool.accounting_mode = "batch"
        self.contribute_golden(2)
        receivable = self.env["account.account"].create({
            "name": "Receivable", "code": "121000", "account_type": "asset_receivable", "reconcile": True,
            "company_ids": [(6, 0, self.company.ids)]})
        self.member1.with_company(self.company).property_account_receivable_id = receivable
        row = self.pool.redeem(self.member1, 10, self.order("Payment")).ledger_id
        self.assertEqual(row.move_id.state, "posted")
        self.assertNoBreach()
