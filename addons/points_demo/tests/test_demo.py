from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import float_compare

from odoo.addons.points_demo.models.points_demo import CHAIN_PROGRAM_NAME, ORDERS


@tagged("post_install", "-at_install")
class TestDemoEconomy(TransactionCase):
    """The demo economy of the Demo Mall, as the suite installs it with demo data.

    The tests run on the demo itself: without it (a database installed without demo data)
    ``env.ref`` fails in ``setUpClass`` and every test errors, none is skipped.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("points_demo.company_demo")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.pool = cls.env["points.pool"]._get_for_company(cls.company)
        cls.members = cls.env["res.partner"].browse([
            cls.env.ref(f"points_demo.partner_{name}_demo").id for name in dict.fromkeys(
                [buyer for buyer, _referrer, _lines in ORDERS])])
        cls.wallets = cls.env["points.wallet"].search([("pool_id", "=", cls.pool.id)])

    def member(self, name):
        return self.env.ref(f"points_demo.partner_{name}_demo").with_company(self.company)

    def assertMoney(self, first, second, msg=None):
        self.assertEqual(float_compare(first, second, precision_digits=2), 0, msg or f"{first} != {second}")

    def test_the_demo_mall_is_a_chinese_company_in_cny_with_its_own_books(self):
        self.assertEqual(self.company.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(self.company.country_id, self.env.ref("base.cn"))
        self.assertEqual(self.pool.currency_id.name, "CNY")
        self.assertTrue(self.company.chart_template, "the company has a chart of accounts")
        self.assertEqual(self.pool.journal_id.company_id, self.company)
        self.assertTrue(self.pool.wallet_account_id and self.pool.pool_account_id)

    def test_the_pool_passes_its_integrity_check_with_nothing_pending(self):
        self.assertEqual(self.pool._integrity_breaches(), [])
        self.assertFalse(self.env["points.pool.request"].search_count(
            [("pool_id", "=", self.pool.id), ("state", "!=", "applied")]))
        self.assertGreater(self.pool.balance, 0)
        self.assertGreater(self.pool.price, self.pool.initial_price, "the orders raised the point price")

    def test_members_wallets_are_the_result_of_their_own_orders(self):
        self.assertEqual(self.wallets.partner_id, self.members, "every member bought, and only members hold wallets")
        Ledger = self.env["points.ledger"]
        for wallet in self.wallets:
            partner = wallet.partner_id
            rows = Ledger.search([("wallet_id", "=", wallet.id)])
            with self.subTest(member=partner.name):
                self.assertAlmostEqual(wallet.points, sum(rows.mapped("points_delta")), places=4)
                self.assertMoney(wallet.cash_balance, sum(rows.mapped("cash_delta")))
                self.assertMoney(wallet.frozen_balance, sum(rows.mapped("frozen_delta")))
                # Every contribution is a line of the member's own paid invoice of a confirmed sales order.
                contributions = rows.filtered(lambda row: row.event == "contribute")
                self.assertTrue(contributions)
                self.assertEqual(set(contributions.mapped("source_model")), {"account.move.line"})
                lines = self.env["account.move.line"].browse(contributions.mapped("source_id"))
                self.assertEqual(lines.move_id.partner_id, partner)
                self.assertEqual(set(lines.move_id.mapped("payment_state")) - {"paid", "in_payment"}, set())
                self.assertEqual(set(lines.sale_line_ids.order_id.mapped("state")), {"sale"})
                invoices = self.env["account.move"].search([
                    ("partner_id", "=", partner.id), ("move_type", "=", "out_invoice"), ("state", "=", "posted"),
                    ("company_id", "=", self.company.id)])
                self.assertEqual(lines.move_id, invoices, "each paid invoice of the member contributed")
                spend = sum(invoices.mapped("amount_untaxed"))
                self.assertMoney(sum(contributions.mapped("spend")), spend)
                self.assertMoney(wallet.lifetime_spend, spend)
                self.assertMoney(partner.with_company(self.company).referral_own_spend, spend)

    def test_the_referral_tree_was_bound_by_first_orders_and_ranks_followed(self):
        founder = self.member("zhang_wei")
        self.assertFalse(founder.referrer_id)
        for buyer, referrer, _lines in ORDERS:
            if referrer:
                with self.subTest(member=buyer):
                    self.assertEqual(self.member(buyer).referrer_id, self.member(referrer))
                    self.assertEqual(self.member(buyer).referral_bound_via, "order")
        self.assertEqual(founder.referral_team_size, len(self.members) - 1)
        self.assertEqual(founder.rank_id, self.env.ref("points_demo.rank_director_demo"))
        self.assertEqual(founder.rank_history_ids.filtered(lambda h: h.new_rank_id == founder.rank_id).trigger,
                         "manual", "a Director is appointed by hand")
        self.assertEqual(self.member("wang_fang").rank_id, self.env.ref("points_demo.rank_cofounder_demo"))
        self.assertEqual(self.member("li_na").rank_id, self.env.ref("points_demo.rank_partner_demo"))
        upgrades = self.env["points.rank.history"].search([("company_id", "=", self.company.id),
                                                           ("trigger", "=", "order")])
        self.assertGreaterEqual(len(upgrades.partner_id), 8, "paid orders upgraded the members")

    def test_rewards_arrived_frozen_and_some_were_released(self):
        rewards = self.env["points.reward"].search([("company_id", "=", self.company.id)])
        frozen = rewards.filtered(lambda r: r.state == "frozen")
        released = rewards.filtered(lambda r: r.state == "available")
        self.assertTrue(frozen)
        self.assertTrue(released)
        now = fields.Datetime.now()
        self.assertTrue(all(not r.release_date or r.release_date > now for r in frozen),
                        "what is still frozen waits for its release date (or its chain task)")
        for reward in released:
            self.assertTrue(reward.released_at)
            self.assertEqual(reward.ledger_ids.filtered(lambda row: row.event == "reward_release").cash_delta,
                             reward.amount)
        self.assertEqual(set(rewards.mapped("rule_type")), {"level", "rank_differential", "dividend", "chain"})

    def test_the_rebate_queue_waits_and_referees_accelerated_it(self):
        entries = self.env["points.rebate.entry"].search([("pool_id", "=", self.pool.id)])
        self.assertGreaterEqual(len(entries), 5)
        self.assertEqual(set(entries.mapped("state")), {"queued"})
        self.assertEqual(entries.mapped("position"), list(range(1, len(entries) + 1)))
        accelerated = entries.filtered("released_amount")
        self.assertIn(self.member("li_na"), accelerated.partner_id, "Zhou Jie's order released part of Li Na's")
        for entry in accelerated:
            rows = entry.ledger_ids.filtered(lambda row: row.event == "rebate_release")
            self.assertMoney(sum(rows.mapped("cash_delta")), entry.released_amount)
            self.assertMoney(entry.remaining, entry.amount - entry.released_amount)
        self.assertGreater(self.pool.rebate_balance, self.pool.rebate_queued_amount,
                           "the funded rebate pool covers the queue")

    def test_a_dividend_period_was_shared_by_rank(self):
        rule = self.env.ref("points_demo.rule_dividend_demo")
        period = rule.dividend_period_ids
        self.assertEqual(len(period), 1)
        package_orders = sum(1 for _buyer, _referrer, lines in ORDERS for product, _qty in lines
                             if product == "package")
        self.assertMoney(period.amount, 40.0 * package_orders, "4% of every 1,000.00 package")
        self.assertMoney(period.distributed + period.carried, period.amount)
        self.assertEqual(period.reward_ids.partner_id,
                         self.member("zhang_wei") | self.member("wang_fang") | self.member("li_na"))
        self.assertMoney(sum(period.reward_ids.mapped("amount")), period.distributed)
        self.assertEqual(set(period.reward_ids.mapped("state")), {"frozen"})
        self.assertMoney(rule.dividend_balance, 0.0)

    def test_the_chain_program_made_agents_and_bosses(self):
        program = self.env.ref("points_demo.chain_program_demo")
        self.assertEqual(program.state, "enabled")
        members = self.env["points.chain.member"].search([("program_id", "=", program.id)])
        bosses = members.filtered(lambda m: m.identity == "boss")
        self.assertEqual(bosses.partner_id, self.member("zhang_wei") | self.member("wang_fang"))
        self.assertGreaterEqual(len(members.filtered(lambda m: m.identity == "agent")), 4)
        for boss in bosses:
            agents = members.filtered(lambda m: m.partner_id.referrer_id == boss.partner_id)
            self.assertGreaterEqual(len(agents), 3, "a boss's third agent referral made them one")
        chain_rewards = self.env["points.reward"].search([("chain_program_id", "=", program.id)])
        self.assertTrue(chain_rewards.filtered("chain_fund"), "20% of each chain reward is held in the fund")
        self.assertTrue(chain_rewards.filtered(lambda r: r.chain_kind == "peer"))

    def test_one_withdrawal_was_paid_and_one_waits_for_approval(self):
        withdrawals = self.env["points.withdrawal"].search([("company_id", "=", self.company.id)])
        waiting = withdrawals.filtered(lambda w: w.state == "requested")
        paid = withdrawals.filtered(lambda w: w.state == "paid")
        self.assertEqual(len(waiting), 1)
        self.assertEqual(waiting.partner_id, self.member("zhang_wei"))
        self.assertEqual(waiting.payee_id.method, "bank_card")
        self.assertTrue(waiting.activity_ids, "the approvers have a to-do")
        self.assertMoney(waiting.wallet_id.reserved_balance, waiting.amount)
        self.assertEqual(len(paid), 1)
        self.assertEqual(paid.payee_id.method, "alipay")
        self.assertIn(paid.payment_id.state, ("in_process", "paid"), "an outbound payment was posted")
        self.assertEqual(set(paid.ledger_ids.mapped("event")), {"withdrawal", "withdrawal_fee"})

    def test_member_statements_count_only_rewards_as_rewards(self):
        """Withdrawals and rebate releases credit or debit a member's cash too, in sections of their own."""
        Ledger = self.env["points.ledger"]
        Statement = self.env["report.points_report.report_member_statement"]
        reward_events = {"reward_freeze", "reward_release", "reward_reverse"}
        own_sections = {"withdrawal": "withdrawals", "withdrawal_fee": "withdrawals", "rebate_release": "rebates",
                        "rebate_clawback": "rebates"}
        value_fields = Ledger._statement_value_fields()
        seen = set()
        for wallet in self.wallets:
            rows = Ledger.search([("wallet_id", "=", wallet.id)])
            seen |= set(rows.mapped("event"))
            # Up to today where the statement is read (the user's time zone; the demo company is in Shanghai).
            statement = Statement._statement(wallet, fields.Date.to_date("2000-01-01"),
                                             fields.Date.context_today(Statement))
            rewards = rows.filtered(lambda row: row.event in reward_events)
            sections = {section["key"]: section for section in statement["sections"]}
            with self.subTest(member=wallet.partner_id.name):
                self.assertEqual(statement["reward_count"], len(rewards))
                self.assertMoney(statement["rewards"], sum(row[name] for row in rewards for name in value_fields))
                for line in statement["lines"]:
                    expected = own_sections.get(line["row"].event)
                    if expected:
                        self.assertEqual(line["section"], expected, line["row"].event)
                        self.assertIn(expected, sections)
        self.assertLessEqual({"withdrawal", "rebate_release", "reward_release"}, seen,
                             "the demo has withdrawals, rebate releases and rewards to tell apart")

    def test_names_read_in_english_and_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["points_demo"], ["zh_CN"], overwrite=True)
        expected = {
            "product_package_demo": ("Appreciation gift package", "消费增值礼包"),
            "plan_rebate_demo": ("Queued rebate goods", "排队返利商品"),
            "rank_cofounder_demo": ("Co-founder", "联创"),
            "rule_dividend_demo": ("Shareholder dividend pool", "股东分红池"),
            "chain_program_demo": ("Gift package 2+1", "礼包链动2+1"),
        }
        for xml_id, (english, chinese) in expected.items():
            record = self.env.ref(f"points_demo.{xml_id}")
            with self.subTest(record=xml_id):
                self.assertEqual(record.with_context(lang="en_US").name, english)
                self.assertEqual(record.with_context(lang="zh_CN").name, chinese)
        self.assertEqual(CHAIN_PROGRAM_NAME._translate("zh_CN"), "礼包链动2+1")
        # Every named record of the demo reads in Chinese.
        data = self.env["ir.model.data"].search([("module", "=", "points_demo"), ("model", "!=", "ir.model")])
        for xml_id in data:
            record = self.env[xml_id.model].browse(xml_id.res_id)
            field = record._fields.get("name")
            if field and field.translate and record.name != "VIP":
                with self.subTest(record=xml_id.name):
                    self.assertNotEqual(record.with_context(lang="zh_CN").name, record.with_context(lang="en_US").name)
