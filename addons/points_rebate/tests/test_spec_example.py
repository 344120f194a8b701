from datetime import date

from odoo.tests import tagged

from .common import RebateCase


@tagged("post_install", "-at_install")
class TestSpecExample(RebateCase):
    """SPEC §7: pool 10,000.00; A orders 100.00 on 1 Aug, lock 15 days; B, referred by A, orders 100.00 with
    acceleration 20% → A receives 20.00 now, 80.00 stays queued; on 15 Aug A's remaining 80.00 is released;
    pool 9,900.00 after both releases.

    The plan feeds 10% of each line to the rebate pool, so the two orders feed 10.00 each: a funding of
    9,980.00 beforehand brings the rebate pool to exactly 10,000.00 once both orders have fed it, which is
    the pool of the example when the releases happen. B orders on 3 Aug, so that B's own entry (due 17 Aug)
    is not due on 15 Aug.
    """

    def test_spec_example_releases_twenty_at_once_and_eighty_on_the_fifteenth(self):
        a, b = self.make_chain(2, prefix="Spec ")
        self.fund(9980.0)
        a_rows = self.pay(a, 100.0, "2025-08-01 10:00:00")
        entry_a = self.entry_of(a_rows)
        self.assertEqual((entry_a.amount, entry_a.lock_days, entry_a.due_date), (100.0, 15, date(2025, 8, 15)))

        b_rows = self.pay(b, 100.0, "2025-08-03 09:00:00")
        self.assertEqual(self.rebate_balance(), 10000.0 - 20.0, "both orders fed 10.00, A received 20.00")
        self.assertEqual(self.cash(a), 20.0)
        self.assertEqual((entry_a.released_amount, entry_a.remaining, entry_a.state), (20.0, 80.0, "queued"))

        self.assertEqual(self.release("2025-08-14"), 0)
        self.assertEqual(self.cash(a), 20.0)

        self.assertEqual(self.release("2025-08-15"), 1)
        self.assertEqual(self.cash(a), 100.0)
        self.assertEqual((entry_a.released_amount, entry_a.remaining, entry_a.state), (100.0, 0.0, "released"))
        self.assertEqual(self.rebate_balance(), 9900.0)
        entry_b = self.entry_of(b_rows)
        self.assertEqual((entry_b.state, entry_b.remaining, entry_b.due_date), ("queued", 100.0, date(2025, 8, 17)))

        accelerated, static = entry_a.ledger_ids, entry_a.release_ledger_id
        self.assertEqual((accelerated.event, accelerated.cash_delta), ("rebate_release", 20.0))
        self.assertEqual((static.event, static.cash_delta, static.partner_id), ("rebate_release", 80.0, a))
        self.assertTrue(accelerated.move_id and static.move_id)
        self.assertNoBreach()
