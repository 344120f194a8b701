from odoo.tests import tagged

from .common import PointsCase

#: Where each event must land when its module is installed (events of modules not installed are skipped).
EXPECTED_SECTIONS = {
    "contribute": "earned", "sell": "sold", "exit": "sold", "redeem": "redeemed", "restore": "redeemed",
    "reverse": "reversed", "inject": "pool",
    "reward_freeze": "rewards", "reward_release": "rewards", "reward_reverse": "rewards",
    "dividend_accrual": "pool", "dividend_reverse": "pool",
    "rebate_feed": "pool", "rebate_inject": "pool", "rebate_release": "rebates", "rebate_clawback": "rebates",
    "rebate_feed_reverse": "pool",
    "withdrawal": "withdrawals", "withdrawal_fee": "withdrawals", "transfer_out": "transfers",
    "transfer_in": "transfers",
    "legacy_import": "legacy", "legacy_spend": "legacy", "legacy_refund": "legacy",
}


@tagged("post_install", "-at_install")
class TestLedgerStatementSections(PointsCase):
    def test_every_event_of_every_installed_module_has_a_declared_section(self):
        Ledger = self.env["points.ledger"]
        events = [event for event, _label in Ledger._fields["event"].selection]
        declared = dict(Ledger._statement_sections())
        classified = Ledger._statement_event_sections()
        for event in events:
            with self.subTest(event=event):
                self.assertIn(event, classified, "each module classifies the ledger events it adds")
                self.assertIn(classified[event], declared)
                self.assertNotEqual(classified[event], "other")

    def test_events_land_in_their_section(self):
        Ledger = self.env["points.ledger"]
        events = {event for event, _label in Ledger._fields["event"].selection}
        classified = Ledger._statement_event_sections()
        for event, section in EXPECTED_SECTIONS.items():
            if event in events:
                with self.subTest(event=event):
                    self.assertEqual(classified[event], section)
        # A withdrawal is never a reward.
        if "withdrawal" in events:
            self.assertNotEqual(classified["withdrawal"], classified.get("reward_release"))

    def test_sections_modules_add_come_before_the_pool_movements(self):
        Ledger = self.env["points.ledger"]
        keys = [key for key, _label in Ledger._statement_sections()]
        self.assertEqual(keys[:4], ["earned", "sold", "redeemed", "reversed"])
        self.assertEqual(keys[-2:], ["pool", "other"])
        self.assertEqual(len(keys), len(set(keys)))
        # Every section a module adds holds some of its events.
        self.assertLessEqual(set(keys[4:-2]), set(Ledger._statement_event_sections().values()))

    def test_sections_are_named_in_the_reader_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        Ledger = self.env["points.ledger"]
        english = dict(Ledger.with_context(lang="en_US")._statement_sections())
        chinese = dict(Ledger.with_context(lang="zh_CN")._statement_sections())
        self.assertEqual(english["earned"], "Eligible spend and points earned")
        for key, label in english.items():
            with self.subTest(section=key):
                self.assertNotEqual(chinese[key], label)

    def test_a_row_knows_its_section_and_its_source_document(self):
        row = self.pool.contribute(self.member1, 1000, 300, source=self.member2).ledger_id
        self.assertEqual(row._statement_section(), "earned")
        self.assertEqual(row.source_display, self.member2.display_name)
        self.assertEqual((row.price_before, row.price_after), (1.0, 1.428571))
