"""Hypothesis: the sequencer, applying events in batches with wallets paged in from storage, ends where the
in-memory economy ends (engine only, no Odoo).

The Odoo pool drains its requests in batches: each batch loads the wallets its
requests name and pages in forced-exit candidates by their stored exit price,
then stores every changed wallet. Fed the same events, that must give exactly the
pool, points and cash of :class:`points_engine.Economy`, which keeps everything in
memory and settles exits from one heap.
"""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.addons.points_engine import Economy, PoolParams
from odoo.addons.points_engine.cycle import Cycle, ReversalPlan
from odoo.addons.points_engine.pool import EngineError, Pool
from odoo.addons.points_engine.rounding import points_down
from odoo.addons.points_engine.sequencer import Account, Refusal, Sequencer

MEMBERS = 8

params_strategy = st.builds(
    PoolParams,
    mint_ratio=st.sampled_from([Decimal("0.3"), Decimal("0.7"), Decimal("0.95")]),
    sell_fee_rate=st.sampled_from([Decimal("0"), Decimal("0.2")]),
    exit_multiple=st.sampled_from([Decimal("0"), Decimal("1.1"), Decimal("1.5"), Decimal("3")]),
    redeem_fee_rate=st.sampled_from([Decimal("0"), Decimal("0.1")]),
)
cents = st.integers(min_value=1, max_value=300_000).map(lambda n: Decimal(n) / 100)
member = st.integers(min_value=0, max_value=MEMBERS - 1)
share = st.sampled_from([Decimal("0.001"), Decimal("0.3"), Decimal("1")])
events = st.lists(
    st.one_of(
        st.tuples(st.just("contribute"), member, cents),
        st.tuples(st.just("sell"), member, share),
        st.tuples(st.just("redeem"), member, share),
        st.tuples(st.just("inject"), cents),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=40), st.sampled_from([Decimal("0.5"),
                                                                                              Decimal("1")])),
    ),
    min_size=1, max_size=40,
)
cuts = st.lists(st.integers(min_value=1, max_value=40), max_size=6)


def run_economy(params, plan):
    """The reference: every event on the in-memory economy; returns the events it accepted, resolved."""
    economy = Economy(params)
    accepted = []
    sources = []
    for event in plan:
        kind = event[0]
        try:
            if kind == "contribute":
                source = len(sources)
                economy.contribute(event[1], event[2], (event[2] * Decimal("0.3")).quantize(Decimal("0.01"))
                                   or Decimal("0.01"), source=source)
                sources.append(source)
                accepted.append(("contribute", event[1], event[2], source))
            elif kind in ("sell", "redeem"):
                held = economy.members[event[1]].cycle.points if event[1] in economy.members else Decimal(0)
                points = points_down(held * event[2])
                if points <= 0:
                    continue
                getattr(economy, kind)(event[1], points)
                accepted.append((kind, event[1], points))
            elif kind == "inject":
                economy.inject(event[1])
                accepted.append(("inject", event[1]))
            elif kind == "reverse" and sources:
                source = sources[event[1] % len(sources)]
                economy.reverse(source, event[2])
                accepted.append(("reverse", source, event[2]))
        except EngineError:
            continue
    return economy, accepted


class Storage:
    """Wallets as the database keeps them between drains, with their stored exit prices."""

    def __init__(self, multiple):
        self.multiple = multiple
        self.rows = {}

    def store(self, account):
        copy = Account(id=account.id, cycle=Cycle(account.cycle.spend, account.cycle.realized, account.cycle.points),
                       cycle_number=account.cycle_number, cash=account.cash, lifetime_spend=account.lifetime_spend,
                       exits=account.exits, state=account.state)
        copy.stored_exit_price = copy.exit_price(self.multiple) if self.multiple > 0 else None
        self.rows[account.id] = copy

    def load(self, account_id):
        self.store(self.rows.get(account_id) or Account(id=account_id))
        return self.rows[account_id]

    def candidates(self, after, limit):
        ordered = sorted((a for a in self.rows.values() if a.stored_exit_price is not None),
                         key=lambda a: (a.stored_exit_price, a.id))
        return [a for a in ordered if after is None or (a.stored_exit_price, a.id) > after][:limit]


def run_sequencer(params, accepted, batch_cuts):
    storage = Storage(params.exit_multiple)
    pool = Pool(params)
    originals = {}
    boundaries = sorted({cut for cut in batch_cuts if cut < len(accepted)}) + [len(accepted)]
    start = 0
    for end in boundaries:
        batch = accepted[start:end]
        start = end
        seq = Sequencer(pool, candidates=storage.candidates, page_size=2)
        named = {event[1] for event in batch if event[0] in ("contribute", "sell", "redeem")}
        named |= {originals[event[1]]["member"] for event in batch if event[0] == "reverse"
                  and event[1] in originals}
        for account_id in sorted(named):
            seq.add(storage.load(account_id))
        for event in batch:
            kind = event[0]
            try:
                if kind == "contribute":
                    account = seq.accounts[event[1]]
                    step = seq.contribute(account, event[2], (event[2] * Decimal("0.3")).quantize(Decimal("0.01"))
                                          or Decimal("0.01"))[0]
                    originals[event[3]] = {"member": event[1], "minted": step.movement.points,
                                           "amount": step.movement.money, "spend": event[2], "done": Decimal(0),
                                           "cycle": step.cycle_number}
                elif kind in ("sell", "redeem"):
                    getattr(seq, kind)(seq.accounts[event[1]], event[2])
                elif kind == "inject":
                    seq.inject(event[1])
                else:
                    original = originals[event[1]]
                    account = seq.accounts[original["member"]]
                    same = original["cycle"] == account.cycle_number
                    plan = ReversalPlan.build(original["minted"], original["amount"], original["spend"],
                                              original["done"], event[2], held=account.cycle.points if same else 0,
                                              same_cycle=same, money_digits=params.money_digits)
                    seq.reverse(account, plan)
                    original["done"] += event[2]
            except Refusal as refusal:
                raise AssertionError(f"the economy accepted {event}, the sequencer refused it: {refusal}")
        pool = seq.pool
        for account in seq.accounts.values():
            if account.dirty:
                storage.store(account)
    return pool, storage


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params_strategy, events, cuts)
def test_batches_with_paged_wallets_end_where_the_economy_ends(params, plan, batch_cuts):
    economy, accepted = run_economy(params, plan)
    pool, storage = run_sequencer(params, accepted, batch_cuts)
    assert (pool.balance, pool.points, pool.last_price) == (
        economy.pool.balance, economy.pool.points, economy.pool.last_price)
    for key, member_state in economy.members.items():
        stored = storage.rows.get(key)
        assert stored is not None
        assert stored.cycle.points == member_state.cycle.points, key
        assert stored.cash == member_state.cash, key
        assert stored.exits == member_state.exits, key
