from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import WalletServiceCase


@tagged("post_install", "-at_install")
class TestReservations(WalletServiceCase):
    """What a member asked to withdraw or send is held at once; the pool's sequencer has the last word."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool.write({"transfer_enabled": True})

    def test_a_withdrawal_request_holds_the_cash_a_transfer_asks_for(self):
        self.request(self.member1, 100)
        self.assertRefused(UserError, "reserved by withdrawal requests", self.transfer, self.member1, self.member2,
                           cash=61.51)
        transfer = self.transfer(self.member1, self.member2, cash=61.50)
        self.assertEqual(transfer.state, "applied")
        wallet = self.wallet(self.member1)
        self.assertEqual((wallet.cash_balance, wallet.reserved_balance, wallet.available_cash), (100.0, 100.0, 0.0))
        self.assertNoBreach()

    def test_a_pending_cash_transfer_holds_the_cash_until_the_pool_applies_it(self):
        wallet = self.wallet(self.member1)
        with self.busy_pool():
            transfer = self.transfer(self.member1, self.member2, cash=100)
            self.assertEqual((transfer.state, transfer.request_id.reserved_cash), ("pending", 100.0))
            self.assertFalse(transfer.ledger_ids)
            self.assertEqual((wallet.cash_balance, wallet.reserved_balance, wallet.available_cash),
                             (161.50, 100.0, 61.50))
            self.assertRefused(UserError, "at most", self.request, self.member1, 100)
            self.assertRefused(UserError, "pending transfers", self.transfer, self.member1, self.member3, cash=61.51)
            self.assertEqual(self.request(self.member1, 61.50).amount, 61.50)
            self.assertEqual(wallet.available_cash, 0.0)
        self.pool._apply_pending()
        self.assertEqual(transfer.state, "applied")
        self.assertEqual(sorted(transfer.ledger_ids.mapped("cash_delta")), [-100.0, 100.0])
        self.assertEqual((wallet.cash_balance, wallet.reserved_balance, wallet.available_cash), (61.50, 61.50, 0.0))
        self.assertEqual(self.wallet(self.member2).cash_balance, 100.0)
        self.assertNoBreach()

    def test_a_pending_points_transfer_holds_the_points(self):
        wallet = self.wallet(self.member2)
        held = wallet.points
        with self.busy_pool():
            transfer = self.transfer(self.member2, self.member3, points=100)
            self.assertEqual(transfer.state, "pending")
            self.assertEqual((wallet.points, wallet.available_points), (held, held - 100))
            self.assertRefused(UserError, "fewer than", self.transfer, self.member2, self.member4,
                               points=held - 99)
            self.assertRefused(UserError, "fewer than", self.pool.sell, self.member2, held - 99)
        self.pool._apply_pending()
        self.assertEqual((transfer.state, wallet.points, wallet.available_points), ("applied", held - 100, held - 100))
        self.assertNoBreach()

    def test_a_transfer_whose_cash_went_meanwhile_is_refused_by_the_pool_and_moves_nothing(self):
        sender, recipient = self.wallet(self.member1), self.wallet(self.member2)
        with self.busy_pool():
            taking = self.take_cash(self.member1, 150)
            # The other movement reserved nothing: at request time the cash is still there.
            transfer = self.transfer(self.member1, self.member2, cash=100)
            self.assertEqual(transfer.state, "pending")
        self.pool._apply_pending()
        self.assertEqual(taking.state, "applied")
        self.assertEqual(transfer.state, "refused")
        self.assertIn("cash balance", transfer.refusal_reason)
        self.assertEqual(transfer.refusal_reason, transfer.request_id.refusal_reason)
        self.assertFalse(transfer.ledger_ids)
        self.assertFalse(transfer.request_id.ledger_ids)
        self.assertEqual((sender.cash_balance, sender.reserved_balance, sender.available_cash), (11.50, 0.0, 11.50))
        self.assertEqual(recipient.cash_balance, 0.0)
        self.assertNoBreach()

    def test_a_points_transfer_whose_points_went_meanwhile_is_refused_and_moves_nothing(self):
        order = self.order("Refunded order")
        self.pool.contribute(self.member2, 1000, 300, source=order)
        sender, recipient = self.wallet(self.member2), self.wallet(self.member3)
        held, received = sender.points, recipient.points
        with self.busy_pool():
            # The refund, asked for first, burns the points that order minted; it reserves nothing, so at request
            # time the transfer still finds the points.
            refund = self.pool.reverse(order, refund_source=self.order("Refund"))
            transfer = self.transfer(self.member2, self.member3, points=held - 1)
            self.assertEqual(transfer.state, "pending")
        self.pool._apply_pending()
        self.assertEqual(refund.state, "applied")
        self.assertEqual(transfer.state, "refused")
        self.assertIn("points", transfer.refusal_reason)
        self.assertFalse(transfer.ledger_ids)
        self.assertAlmostEqual(sender.points, held + refund.ledger_id.points_delta, places=4)
        self.assertEqual(recipient.points, received)
        self.assertNoBreach()

    def test_an_approval_the_pool_refuses_pays_nothing(self):
        withdrawal = self.request(self.member1, 100)
        with self.busy_pool():
            self.take_cash(self.member1, 150)
            before = self.env["account.payment"].search_count([])
            with self.assertRaises(UserError) as caught:
                withdrawal.action_approve()
        self.assertRegex(str(caught.exception), "no longer covers .*cash balance")
        self.assertEqual(withdrawal.state, "requested")
        self.assertFalse(withdrawal.payment_id or withdrawal.ledger_ids)
        self.assertEqual(self.env["account.payment"].search_count([]), before)
        self.assertEqual(self.wallet(self.member1).reserved_balance, 100.0)

    def test_approving_several_requests_pays_each_from_its_wallet(self):
        self.pool.sell(self.member2, 50)
        first, second = self.request(self.member1, 100), self.request(self.member2, 50)
        (first | second).with_user(self.manager).action_approve()
        self.assertEqual((first.state, second.state), ("paid", "paid"))
        self.assertEqual(first.payment_id.amount + second.payment_id.amount, 98.0 + 49.0)
        self.assertEqual(self.wallet(self.member1).cash_balance, 61.50)
        self.assertTrue(all(line.reconciled for line in (first | second).payment_id.move_id.line_ids
                            if line.account_id == self.pool.wallet_account_id))
        self.assertNoBreach()

    def test_an_approved_withdrawal_keeps_its_pool_request(self):
        withdrawal = self.request(self.member1, 100)
        withdrawal.action_approve()
        request = withdrawal.request_id
        self.assertEqual((request.kind, request.state), ("movements", "applied"))
        self.assertEqual(request.ledger_ids, withdrawal.ledger_ids)
        self.assertRefused(UserError, "already paid", withdrawal.action_approve)

    def test_transfer_states_are_searchable_and_older_transfers_read_as_applied(self):
        Transfer = self.env["points.transfer"]
        sender, recipient = self.wallet(self.member1), self.wallet(self.member2)
        # Recorded before the pool's sequencer: no request, it moved at once.
        older = Transfer.sudo().create({
            "sender_id": self.member1.id, "recipient_id": self.member2.id, "sender_wallet_id": sender.id,
            "recipient_wallet_id": recipient.id, "pool_id": self.pool.id, "kind": "cash", "amount": 0.0})
        applied = self.transfer(self.member1, self.member2, cash=10)
        with self.busy_pool():
            pending = self.transfer(self.member1, self.member3, cash=10)
        self.assertEqual((older.state, applied.state, pending.state), ("applied", "applied", "pending"))
        mine = [("sender_id", "=", self.member1.id)]
        self.assertEqual(Transfer.search(mine + [("state", "=", "pending")]), pending)
        self.assertEqual(Transfer.search(mine + [("state", "=", "applied")]), older | applied)
        self.assertEqual(Transfer.search(mine + [("state", "!=", "pending")]), older | applied)
        self.assertEqual(Transfer.search(mine + [("state", "not in", ["applied"])]), pending)
        self.assertFalse(Transfer.search(mine + [("state", "=", "refused")]))
