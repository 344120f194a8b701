"""Hypothesis: the static release run in SQL releases what ``points_engine.rebate.static_release`` releases.

Production runs the release set-wise in PostgreSQL (a running sum over the queue, then
set-wise updates of the entries, the wallets and the rebate pool). Random queues go through
that SQL on a real database and through the engine; entries released, amounts, the rebate
pool left and every member's cash and debt must agree to the cent.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.points_engine.rebate import QueueEntry, due_date, static_release
from odoo.addons.points_engine.wallet import cash_debt

from .common import RebateCase

MAX_EXAMPLES = 30
START = datetime(2025, 8, 1, 10)
#: Far from the ids of real lines: the fake source lines of the generated entries.
SOURCE_BASE = 1_900_000_000

cents = st.integers(min_value=1, max_value=50000).map(lambda n: Decimal(n) / 100)
#: (member index, day offset, second offset (ties), amount, part already released (in %), lock days)
entry_strategy = st.tuples(st.integers(0, 3), st.integers(0, 6), st.sampled_from([0, 0, 1]), cents,
                           st.sampled_from([0, 0, 0, 50]), st.integers(1, 8))


@tagged("post_install", "-at_install")
class TestReleaseSqlMatchesEngine(RebateCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.queue_members = cls.make_members(4, prefix="Queue ")
        cls.queue_wallets = [cls.env["points.wallet"]._get_for_partner(member, cls.company) for member in cls.queue_members]

    def test_static_release_in_sql_releases_what_the_engine_releases(self):
        cr = self.env.cr
        pool = self.pool.sudo()
        Entry = self.env["points.rebate.entry"].sudo()

        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
        @given(specs=st.lists(entry_strategy, max_size=12), balance=st.integers(0, 300000).map(
            lambda n: Decimal(n) / 100), cash=st.lists(st.integers(-30000, 30000).map(lambda n: Decimal(n) / 100),
                                                        min_size=4, max_size=4),
               day=st.integers(0, 14))
        def check(specs, balance, cash, day):
            today = date(2025, 8, 1) + timedelta(days=day)
            with cr.savepoint(flush=False) as savepoint:
                queue = []
                for n, (member, days, seconds, amount, released_pct, lock) in enumerate(specs):
                    paid_at = START + timedelta(days=days, seconds=seconds)
                    released = (amount * released_pct / 100).quantize(Decimal("0.01"))
                    wallet = self.queue_wallets[member]
                    entry = Entry.create({
                        "pool_id": pool.id, "partner_id": wallet.partner_id.id, "wallet_id": wallet.id,
                        "source_model": "res.partner.category", "source_id": SOURCE_BASE + n,
                        "paid_at": paid_at, "lock_days": lock, "due_date": due_date(paid_at, lock),
                        "amount": float(amount), "released_amount": float(released),
                        "remaining": float(amount - released)})
                    queue.append(QueueEntry(entry.id, wallet.id, paid_at, amount, lock, released=released))
                for wallet, start in zip(self.queue_wallets, cash):
                    cr.execute(SQL("UPDATE points_wallet SET cash_balance = %s, debt = %s WHERE id = %s",
                                   start, cash_debt(start), wallet.id))
                cr.execute(SQL("UPDATE points_pool_state SET rebate_balance = %s WHERE pool_id = %s",
                               balance, pool.id))
                self.env.invalidate_all()

                request = pool._rebate_release_due(today=today)
                pool._apply_pending()
                run = static_release(queue, balance, today)

                self.assertEqual(request.state, "applied", request.refusal_reason)
                self.assertEqual(request.rebate_release_count, len(run.released))
                cr.execute(SQL(
                    "SELECT id, remaining::text, released_amount::text FROM points_rebate_entry "
                    "WHERE id = ANY(%s) AND state = 'released'", [entry.id for entry in queue]))
                by_id = {entry.id: entry for entry in queue}
                released = {entry_id: (Decimal(remaining), Decimal(done) - by_id[entry_id].released)
                            for entry_id, remaining, done in cr.fetchall()}
                self.assertEqual(released, {entry_id: (0, amount) for entry_id, amount in run.released})
                cr.execute(SQL("SELECT rebate_balance::text FROM points_pool_state WHERE pool_id = %s", pool.id))
                self.assertEqual(Decimal(cr.fetchone()[0]), run.pool_after)
                paid = {}
                for entry_id, amount in run.released:
                    paid[by_id[entry_id].member] = paid.get(by_id[entry_id].member, Decimal(0)) + amount
                cr.execute(SQL("SELECT id, cash_balance::text, debt::text FROM points_wallet WHERE id = ANY(%s)",
                               [wallet.id for wallet in self.queue_wallets]))
                after = {wallet_id: (Decimal(held), Decimal(owed)) for wallet_id, held, owed in cr.fetchall()}
                for wallet, start in zip(self.queue_wallets, cash):
                    expected = start + paid.get(wallet.id, Decimal(0))
                    self.assertEqual(after[wallet.id], (expected, cash_debt(expected)))
                savepoint.rollback()
            self.env.invalidate_all()

        check()
