"""Hypothesis: the SQL the sequencer runs for speed gives the engine's figures.

The same random wallets go through PostgreSQL (a real database) and through
``points_engine``; both must agree to the last digit.
"""

from decimal import Decimal
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.points_engine.cycle import Cycle
from odoo.addons.points_pool.models.points_pool_request import _Batch

from .common import PointsCase

MAX_EXAMPLES = 40

money = st.decimals(min_value=0, max_value=100000, places=2)
points = st.one_of(st.just(Decimal(0)), st.decimals(min_value=Decimal("0.0001"), max_value=100000, places=4))
#: (points, cycle spend, cycle realized) of one wallet.
wallet_state = st.tuples(points, money, money)
multiples = st.one_of(st.sampled_from([Decimal(0), Decimal("1.2"), Decimal(3)]),
                      st.decimals(min_value=0, max_value=20, places=2))


@tagged("post_install", "-at_install")
class TestSqlMatchesEngine(PointsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wallets = cls.env["points.wallet"].browse(
            [cls.env["points.wallet"]._get_for_partner(member, cls.company).id for member in cls.members])

    def test_repricing_the_exit_prices_in_sql_follows_cycle_exit_price(self):
        """A new exit multiple reprices every wallet in one UPDATE (``_Batch._reprice``): the stored exit price
        is ``Cycle.exit_price`` (rounded down to 6 decimals, never negative, none without points or multiple)."""
        cr = self.env.cr
        batch = SimpleNamespace(env=self.env, pool=self.pool.sudo())

        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
        @given(multiple=multiples, states=st.lists(wallet_state, min_size=len(self.members),
                                                   max_size=len(self.members)))
        def check(multiple, states):
            with cr.savepoint(flush=False) as savepoint:
                cr.execute(SQL("UPDATE points_pool SET exit_multiple = %s WHERE id = %s", multiple, self.pool.id))
                for wallet, (held, spend, realized) in zip(self.wallets, states):
                    cr.execute(SQL(
                        """UPDATE points_wallet SET points = %s, cycle_spend = %s, cycle_realized = %s,
                                  exit_price = NULL WHERE id = %s""", held, spend, realized, wallet.id))
                self.env.invalidate_all()
                _Batch._reprice(batch)
                # As text: Odoo reads numeric columns as floats, the comparison is exact.
                cr.execute(SQL("SELECT id, exit_price::text FROM points_wallet WHERE id = ANY(%s)", self.wallets.ids))
                stored = {wallet_id: price and Decimal(price) for wallet_id, price in cr.fetchall()}
                for wallet, (held, spend, realized) in zip(self.wallets, states):
                    expected = Cycle(spend=spend, realized=realized, points=held).exit_price(multiple)
                    self.assertEqual(stored[wallet.id], expected, (multiple, held, spend, realized))
                savepoint.rollback()
            self.env.invalidate_all()

        check()
