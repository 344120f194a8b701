import math

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import WalletServiceCase


@tagged("post_install", "-at_install")
class TestTransfer(WalletServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool.write({"transfer_enabled": True})

    def test_transfers_are_disabled_by_default(self):
        pool = self.env["points.pool"]._get_for_company(self.env["res.company"].create({"name": "Fresh Co"}))
        self.assertFalse(pool.transfer_enabled)
        self.pool.transfer_enabled = False
        self.assertRefused(UserError, "not enabled", self.transfer, self.member1, self.member2, cash=10)

    def test_cash_transfer_moves_the_balance_with_both_sides_in_the_ledger_and_the_books(self):
        transfer = self.transfer(self.member1, self.member2, cash=60, memo="Birthday")
        self.assertEqual((transfer.state, transfer.request_id.kind), ("applied", "movements"))
        sender, recipient = self.wallet(self.member1), self.wallet(self.member2)
        self.assertEqual((transfer.kind, transfer.amount, transfer.sender_id, transfer.recipient_id),
                         ("cash", 60.0, self.member1, self.member2))
        self.assertEqual((sender.cash_balance, recipient.cash_balance), (101.50, 60.0))
        rows = transfer.ledger_ids.sorted("id")
        self.assertEqual(rows.mapped("event"), ["transfer_out", "transfer_in"])
        self.assertEqual(rows.mapped("cash_delta"), [-60.0, 60.0])
        self.assertEqual(rows.mapped("partner_id"), self.member1 | self.member2)
        self.assertEqual(rows.mapped("source_display"), [transfer.name] * 2)
        self.assertEqual([row._statement_section() for row in rows], ["transfers"] * 2)
        self.assertEqual((self.gl_wallet_balance(self.member1), self.gl_wallet_balance(self.member2)), (101.50, 60.0))
        self.assertTrue(rows.move_id)
        self.assertNoBreach()

    def test_points_transfer_keeps_the_pool_and_each_cycle_spend(self):
        pool_before = (self.pool.balance, self.pool.circulating_points, self.pool.price)
        sender, recipient = self.wallet(self.member2), self.wallet(self.member3)
        held = (sender.points, recipient.points)
        spends = (sender.cycle_spend, recipient.cycle_spend)
        exit_prices = (sender.exit_price, recipient.exit_price)
        transfer = self.transfer(self.member2, self.member3, points=20)
        self.assertEqual((self.pool.balance, self.pool.circulating_points, self.pool.price), pool_before)
        self.assertEqual((sender.points, recipient.points), (held[0] - 20, held[1] + 20))
        self.assertEqual((sender.cycle_spend, recipient.cycle_spend), spends)
        # Fewer points to reach the same cap: the sender's exit price rises, the recipient's falls.
        self.assertGreater(sender.exit_price, exit_prices[0])
        self.assertLess(recipient.exit_price, exit_prices[1])
        self.assertEqual((transfer.kind, transfer.points, transfer.price), ("points", 20.0, self.pool.price))
        self.assertAlmostEqual(transfer.amount, round(20 * self.pool.price, 2), places=2)
        rows = transfer.ledger_ids.sorted("id")
        self.assertEqual(rows.mapped("points_delta"), [-20.0, 20.0])
        self.assertEqual(rows.mapped("amount"), [0.0, 0.0])
        self.assertEqual(self.pool.pending_entry_count, 0)
        self.assertNoBreach()

    def test_points_that_would_force_the_recipient_out_are_refused(self):
        newcomer = self.env["res.partner"].create({"name": "Newcomer"})
        self.wallet(newcomer)  # a member who has bought nothing yet
        # No spend in the current cycle: any points would be sold by a forced exit at once.
        self.assertRefused(UserError, "forced exit", self.transfer, self.member2, newcomer, points=10)
        self.assertFalse(self.wallet(newcomer).points)
        # Put member 1 some 50 to 60 points below their exit cap.
        recipient, price = self.wallet(self.member1), self.pool.price
        value_at_cap = recipient.cycle_realized + (recipient.points + 50) * price
        self.pool.exit_multiple = math.ceil(value_at_cap / recipient.cycle_spend * 100) / 100
        self.assertRefused(UserError, "send fewer than", self.transfer, self.member2, self.member1, points=70)
        self.transfer(self.member2, self.member1, points=40)
        self.assertEqual(recipient.state, "active")
        self.assertNoBreach()

    def test_refused_transfers_change_nothing(self):
        self.pool.write({"transfer_max_cash": 50, "transfer_max_points": 30})
        self.request(self.member1, 120)  # 41.50 of the 161.50 stays available
        transfer = self.transfer
        self.assertRefused(UserError, "themselves", transfer, self.member1, self.member1, cash=10)
        self.assertRefused(UserError, r"move at most \W+50\.00", transfer, self.member1, self.member2, cash=50.01)
        self.assertRefused(UserError, "move at most 30", transfer, self.member2, self.member1, points=30.5)
        self.assertRefused(UserError, "reserved by withdrawal", transfer, self.member1, self.member2, cash=45)
        self.pool.transfer_max_points = 0
        self.assertRefused(UserError, "fewer than", transfer, self.member3, self.member1,
                           points=self.wallet(self.member3).points + 1)
        self.assertRefused(UserError, "must be positive", transfer, self.member1, self.member2, cash=-5)
        self.assertRefused(UserError, "must be positive", transfer, self.member1, self.member2)
        self.assertRefused(UserError, "not both", transfer, self.member1, self.member2, cash=5, points=5)
        other = self.env["res.company"].create({"name": "Other Co"})
        outsider = self.env["res.partner"].create({"name": "Outsider", "company_id": other.id})
        self.assertRefused(UserError, "not an active member", transfer, self.member1, outsider, cash=5)
        archived = self.env["res.partner"].create({"name": "Gone", "active": False})
        self.assertRefused(UserError, "not an active member", transfer, self.member1, archived, cash=5)
        self.wallet(self.member2).action_block()
        self.assertRefused(UserError, "not an active member", transfer, self.member1, self.member2, cash=5)

    def test_frozen_money_cannot_be_transferred(self):
        self.wallet(self.member1).sudo().frozen_balance = 1000.0
        self.assertRefused(UserError, "at most", self.transfer, self.member1, self.member2, cash=161.51)

    def test_only_active_members_send_and_receive(self):
        """The company's own contact, a customer company or a contact without a wallet is no member."""
        customer_company = self.env["res.partner"].create({"name": "Customer Co", "is_company": True})
        self.wallet(customer_company)
        no_wallet = self.env["res.partner"].create({"name": "Newcomer"})
        Wallet = self.env["points.wallet"]
        for outsider, reason in ((self.company.partner_id, "(is a company|contact of a company)"),
                                 (customer_company, "is a company"), (no_wallet, "no points wallet")):
            with self.subTest(outsider=outsider.name):
                self.assertRefused(UserError, f"not an active member.*{reason}", self.transfer, self.member1,
                                   outsider, cash=10)
                self.assertRefused(UserError, f"not an active member.*{reason}", self.transfer, outsider,
                                   self.member1, cash=10)
        self.assertFalse(Wallet._get_for_partner(no_wallet, self.company, create=False), "no wallet is created")
        self.wallet(no_wallet)  # enrolled by staff: now a member
        self.transfer(self.member1, no_wallet, cash=10)
        self.assertEqual(self.wallet(no_wallet).cash_balance, 10.0)
        self.assertNoBreach()

    def test_request_key_makes_a_retried_transfer_return_the_same_record(self):
        first = self.transfer(self.member1, self.member2, cash=10, request_key="app-7")
        self.assertEqual(self.transfer(self.member1, self.member2, cash=10, request_key="app-7"), first)
        self.assertEqual(self.wallet(self.member2).cash_balance, 10.0)
