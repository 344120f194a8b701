"""The economy simulator of SPEC §11: the same engine, in memory, on a demand scenario.

A :class:`Scenario` holds the pool parameters, the demand (orders per day, order
size distribution, monthly growth, days), the members' behaviour (share of
sellers, re-entry after a forced exit) and optional injections. :func:`simulate`
runs it through :class:`~.economy.Economy` (so through the production maths of
:class:`~.pool.Pool` and :class:`~.cycle.Cycle`) and returns one
:class:`DayResult` per day and one :class:`CohortResult` per joining cohort.

How the simulated members behave, day after day:

1. the day's injections enter the pool;
2. members forced out the day before who decided to re-enter place one order each;
3. the day's new orders come in, each from a new member (who joins the cohort of
   that day); every order contributes ``order size x contribution rate``;
4. at the end of the day, every *seller* (a share of the members, drawn when they
   join) whose cycle is in profit sells all the points held, lowest trigger price
   first; "in profit" means that the payout after the sell fee, plus what the
   cycle already realized after the fee, reaches ``sell_at_multiple`` x the cycle's
   spend. Forced exits cascade after every event, as in production.

The growth law of SPEC §3.4: with equal orders and no sells the price first
reaches 2.00 after 4 orders and 4.76 after 76 (14.29 after 2,968: see the tests).

>>> growth = Scenario(params=PoolParams(exit_multiple=Decimal(0)),
...                   demand=Demand(orders_per_day=1, days=76, order_size=Decimal("1000")))
>>> result = simulate(growth)
>>> result.first_day_price_reaches(2), result.first_day_price_reaches(Decimal("4.76"))
(4, 76)
>>> [str(day.price) for day in result.days[:4]]
['1.428571', '1.680672', '1.867414', '2.018826']

Money is conserved: what the cohorts got out (paid out, plus what they still
hold at the final price) less what they put in is what was injected.

>>> run = simulate(Scenario(demand=Demand(orders_per_day=20, days=60, size_distribution="lognormal",
...                                       size_spread=Decimal("0.5"), monthly_growth=Decimal("0.1")),
...                         behaviour=Behaviour(seller_share=Decimal("0.3"), reentry_share=Decimal("0.5")),
...                         injections=(Injection(30, Decimal("5000")),), seed=7))
>>> sum(cohort.net for cohort in run.cohorts) == run.totals.injected == Decimal("5000.00")
True
>>> run.orders == sum(day.orders for day in run.days) == sum(cohort.orders for cohort in run.cohorts)
True
"""

import heapq
import itertools
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from time import perf_counter

from .cycle import Cycle
from .economy import Economy
from .pool import EngineError, Pool, PoolParams
from .rounding import exact, money_half_up, price_ceiling, to_decimal

SIZE_DISTRIBUTIONS = ("fixed", "uniform", "lognormal", "exponential")
#: Days of a month for the monthly growth rate.
MONTH_DAYS = 30
#: Index of the cohort of the members a simulation starts with (a live pool's members).
STARTING_COHORT = 0


@dataclass(frozen=True)
class Demand:
    """Orders coming in: ``orders_per_day`` on day 1, growing by ``monthly_growth`` every 30 days.

    ``order_size`` is the mean spend of an order; ``size_spread`` is the spread
    around it: ± that share of the mean for ``uniform``, the coefficient of
    variation for ``lognormal``; ``fixed`` and ``exponential`` ignore it. Each
    order contributes ``contribution_rate`` of its spend to the pool (SPEC §4).
    """

    orders_per_day: Decimal = Decimal("100")
    days: int = 90
    order_size: Decimal = Decimal("1000")
    size_distribution: str = "fixed"
    size_spread: Decimal = Decimal("0")
    contribution_rate: Decimal = Decimal("0.30")
    monthly_growth: Decimal = Decimal("0")

    def __post_init__(self):
        for name in ("orders_per_day", "order_size", "size_spread", "contribution_rate", "monthly_growth"):
            object.__setattr__(self, name, to_decimal(getattr(self, name)))
        if self.orders_per_day < 0:
            raise EngineError("the orders per day cannot be negative")
        if int(self.days) != self.days or self.days < 1:
            raise EngineError("a simulation runs for at least one whole day")
        if self.order_size <= 0:
            raise EngineError("the order size must be positive")
        if self.size_distribution not in SIZE_DISTRIBUTIONS:
            raise EngineError(f"unknown order size distribution {self.size_distribution!r}")
        if self.size_spread < 0 or (self.size_distribution == "uniform" and self.size_spread > 1):
            raise EngineError("the order size spread must be at least 0 (at most 1 for a uniform distribution)")
        if not Decimal(0) < self.contribution_rate <= Decimal(1):
            raise EngineError("the contribution rate must be above 0 and at most 1")
        if self.monthly_growth <= -1:
            raise EngineError("the monthly growth must be above -100%")

    def expected_orders(self, day):
        """Orders expected on ``day`` (1-based): a float, the daily counts carry the fractions over."""
        return float(self.orders_per_day) * (1 + float(self.monthly_growth)) ** ((day - 1) / MONTH_DAYS)

    def expected_total(self):
        return sum(self.expected_orders(day) for day in range(1, self.days + 1))


@dataclass(frozen=True)
class Behaviour:
    """``seller_share`` of the members sell all their points once in profit (see the module doc);
    ``reentry_share`` of the members forced out place a new order the next day (复投)."""

    seller_share: Decimal = Decimal("0")
    sell_at_multiple: Decimal = Decimal("1")
    reentry_share: Decimal = Decimal("0")

    def __post_init__(self):
        for name in ("seller_share", "sell_at_multiple", "reentry_share"):
            object.__setattr__(self, name, to_decimal(getattr(self, name)))
        if not (Decimal(0) <= self.seller_share <= 1 and Decimal(0) <= self.reentry_share <= 1):
            raise EngineError("the shares of sellers and of re-entering members are between 0 and 1")
        if self.sell_at_multiple <= 0:
            raise EngineError("the multiple at which sellers sell must be positive")


@dataclass(frozen=True)
class Injection:
    """``amount`` enters the pool at the start of ``day`` (1-based)."""

    day: int
    amount: Decimal

    def __post_init__(self):
        object.__setattr__(self, "amount", to_decimal(self.amount))
        if self.amount <= 0:
            raise EngineError("an injection must be positive")


@dataclass(frozen=True)
class Scenario:
    params: PoolParams = field(default_factory=PoolParams)
    demand: Demand = field(default_factory=Demand)
    behaviour: Behaviour = field(default_factory=Behaviour)
    injections: tuple = ()
    #: Seed of the random draws (order sizes, sellers, re-entries): the same seed gives the same run.
    seed: int = 0
    #: Members joining within this many days form one cohort.
    cohort_days: int = MONTH_DAYS

    def __post_init__(self):
        object.__setattr__(self, "injections", tuple(self.injections))
        for injection in self.injections:
            if not 1 <= injection.day <= self.demand.days:
                raise EngineError(f"injection on day {injection.day} is outside the {self.demand.days} simulated days")
        if int(self.cohort_days) != self.cohort_days or self.cohort_days < 1:
            raise EngineError("a cohort spans at least one whole day")


@dataclass(frozen=True)
class StartMember:
    """A member of a live pool: the open cycle, and the money exchanged with the pool before."""

    spend: Decimal
    realized: Decimal
    points: Decimal
    #: Money the member put into the pool so far, net of refunds.
    contributed: Decimal = Decimal(0)
    #: Money the pool paid the member so far (sales, forced exits, redemptions).
    paid_out: Decimal = Decimal(0)
    lifetime_spend: Decimal = Decimal(0)


@dataclass(frozen=True)
class StartState:
    """The state a simulation starts from instead of an empty pool (a live pool's figures)."""

    balance: Decimal
    points: Decimal
    last_price: Decimal | None = None
    members: tuple = ()


@dataclass
class DayResult:
    """What happened on one simulated day; ``price``, ``balance`` and ``points`` are end-of-day figures."""

    day: int
    orders: int = 0
    new_members: int = 0
    reentries: int = 0
    spend: Decimal = Decimal(0)
    contributed: Decimal = Decimal(0)
    minted: Decimal = Decimal(0)
    injected: Decimal = Decimal(0)
    sells: int = 0
    sold_points: Decimal = Decimal(0)
    sell_payouts: Decimal = Decimal(0)
    exits: int = 0
    exit_points: Decimal = Decimal(0)
    exit_payouts: Decimal = Decimal(0)
    price: Decimal = Decimal(0)
    balance: Decimal = Decimal(0)
    points: Decimal = Decimal(0)
    #: Members holding points at the end of the day.
    holders: int = 0

    @property
    def payouts(self):
        return self.sell_payouts + self.exit_payouts


@dataclass
class CohortResult:
    """Money in and out of the members who joined from ``first_day`` to ``last_day``.

    Index 0 is the starting pool's members (days 0 to 0). ``net`` > 0 means the
    cohort got more than it put in: later cohorts (or injections) paid for it.
    """

    index: int
    first_day: int
    last_day: int
    members: int = 0
    orders: int = 0
    reentries: int = 0
    spend: Decimal = Decimal(0)
    contributed: Decimal = Decimal(0)
    paid_out: Decimal = Decimal(0)
    exits: int = 0
    held_points: Decimal = Decimal(0)
    #: Value of the points still held at the final price (the cohorts' values add up to the pool balance).
    held_value: Decimal = Decimal(0)

    @property
    def cash_net(self):
        """Paid out less put in: what the cohort has realized."""
        return self.paid_out - self.contributed

    @property
    def net(self):
        """Paid out plus what is still held, less put in."""
        return self.paid_out + self.held_value - self.contributed


@dataclass
class SimulationResult:
    days: list
    cohorts: list
    #: Money that crossed the pool's boundary during the simulation (:class:`~.economy.Totals`).
    totals: object
    orders: int
    new_members: int
    reentries: int
    sells: int
    exits: int
    balance: Decimal
    points: Decimal
    price: Decimal
    seconds: float

    @property
    def paid_out(self):
        return self.totals.paid_out

    def first_day_price_reaches(self, price):
        """The first day whose closing price is at least ``price``, or None."""
        price = to_decimal(price)
        return next((day.day for day in self.days if day.price >= price), None)


class Simulation:
    """One run of a :class:`Scenario`; :func:`simulate` is the usual entry point."""

    def __init__(self, scenario, start=None):
        self.scenario = scenario
        self.demand, self.behaviour = scenario.demand, scenario.behaviour
        self.params = scenario.params
        self.rng = random.Random(scenario.seed)
        if start is not None:
            pool = Pool(self.params, balance=start.balance, points=start.points, last_price=start.last_price)
        else:
            pool = Pool(self.params)
        self.economy = Economy(pool=pool)
        self.pool = pool
        fee = self.params.sell_fee_rate
        #: Sellers sell once R + h x price reaches this multiple of S (their payout after the fee reaches
        #: sell_at_multiple x S): the forced-exit test of the engine, at another multiple.
        self.sell_multiple = exact(lambda: self.behaviour.sell_at_multiple / (1 - fee))()
        self.cent = Decimal(1).scaleb(-self.params.money_digits)
        self.cohort_of = []
        self.is_seller = []
        self.cohorts = {}
        self.holders = 0
        self.new_members = self.reentry_orders = self.sell_count = 0
        self.injections = {}
        for injection in scenario.injections:
            self.injections[injection.day] = self.injections.get(injection.day, Decimal(0)) + injection.amount
        self._reentries = {}
        self._exits_seen = 0
        # Heap of (trigger price, version, member) of the sellers holding points; stale versions are skipped.
        self._sellers = []
        self._seller_versions = {}
        self._versions = itertools.count()
        if start is not None:
            self._load_members(start.members)

    # -- running -----------------------------------------------------------------
    def run(self):
        started = perf_counter()
        days = []
        carry = 0.0
        for number in range(1, self.demand.days + 1):
            carry += self.demand.expected_orders(number)
            new_orders = int(carry + 1e-9)
            carry -= new_orders
            days.append(self._run_day(number, new_orders))
        pool = self.pool
        return SimulationResult(
            days=days, cohorts=self._cohort_results(), totals=self.economy.totals,
            orders=sum(day.orders for day in days), new_members=self.new_members, reentries=self.reentry_orders,
            sells=self.sell_count, exits=len(self.economy.exit_log), balance=pool.balance, points=pool.points,
            price=pool.display_price, seconds=perf_counter() - started,
        )

    def _run_day(self, number, new_orders):
        day = DayResult(day=number)
        if number == 1:
            # Members of a live pool may be due at once under the scenario's exit multiple.
            self.economy.settle_exits()
            self._collect_exits(day)
        if number in self.injections:
            injected_before = self.economy.totals.injected
            self.economy.inject(self.injections[number])
            day.injected = self.economy.totals.injected - injected_before
            self._collect_exits(day)
        for key in self._reentries.pop(number, ()):
            self._order(day, key)
            day.reentries += 1
            self.cohorts[self.cohort_of[key]].reentries += 1
        for _ in range(new_orders):
            self._order(day, self._new_member(self._cohort_index(number)))
            day.new_members += 1
        self._sell_in_profit(day)
        day.price, day.balance, day.points = self.pool.display_price, self.pool.balance, self.pool.points
        day.holders = self.holders
        self.new_members += day.new_members
        self.reentry_orders += day.reentries
        return day

    def _order(self, day, key):
        spend = self._order_size()
        contribution = min(max(money_half_up(spend * self.demand.contribution_rate, self.params.money_digits),
                               self.cent), spend)
        member = self.economy.members.get(key)
        held_before = member.cycle.points if member else Decimal(0)
        movement = self.economy.contribute(key, spend, contribution)
        if held_before <= 0 < movement.points:
            self.holders += 1
        day.orders += 1
        day.spend += spend
        day.contributed += movement.money
        day.minted += movement.points
        cohort = self.cohorts[self.cohort_of[key]]
        cohort.orders += 1
        cohort.spend += spend
        cohort.contributed += movement.money
        self._collect_exits(day)
        self._schedule_seller(key)

    def _sell_in_profit(self, day):
        """Every seller in profit sells all the points held, lowest trigger price first, until none is."""
        deferred = []
        while self._sellers and self.pool.points > 0:
            trigger, version, key = self._sellers[0]
            if trigger > price_ceiling(self.pool.price):
                break
            heapq.heappop(self._sellers)
            if self._seller_versions.get(key) != version:
                continue
            cycle = self.economy.members[key].cycle
            if not cycle.is_due(self.pool, self.sell_multiple):
                # Rounded trigger reached but not the exact one: wait for a higher price.
                deferred.append((trigger, version, key))
                continue
            del self._seller_versions[key]
            movement = self.economy.sell(key, cycle.points)
            self.holders -= 1
            self.sell_count += 1
            day.sells += 1
            day.sold_points += movement.points
            day.sell_payouts += movement.money
            self.cohorts[self.cohort_of[key]].paid_out += movement.money
            self._collect_exits(day)
        for entry in deferred:
            heapq.heappush(self._sellers, entry)

    def _collect_exits(self, day):
        """Books the forced exits the engine settled since the last call; draws who re-enters."""
        log = self.economy.exit_log
        for key, movement in log[self._exits_seen:]:
            self.holders -= 1
            day.exits += 1
            day.exit_points += movement.points
            day.exit_payouts += movement.money
            cohort = self.cohorts[self.cohort_of[key]]
            cohort.exits += 1
            cohort.paid_out += movement.money
            self._seller_versions.pop(key, None)
            if self.behaviour.reentry_share and self.rng.random() < self.behaviour.reentry_share:
                self._reentries.setdefault(day.day + 1, []).append(key)
        self._exits_seen = len(log)

    # -- members -------------------------------------------------------------------
    def _new_member(self, cohort_index):
        key = len(self.cohort_of)
        self.cohort_of.append(cohort_index)
        self.is_seller.append(bool(self.behaviour.seller_share) and self.rng.random() < self.behaviour.seller_share)
        if cohort_index not in self.cohorts:
            first = (cohort_index - 1) * self.scenario.cohort_days + 1
            last = min(cohort_index * self.scenario.cohort_days, self.demand.days)
            self.cohorts[cohort_index] = CohortResult(cohort_index, first, last)
        self.cohorts[cohort_index].members += 1
        return key

    def _load_members(self, members):
        self.cohorts[STARTING_COHORT] = CohortResult(STARTING_COHORT, 0, 0)
        for start_member in members:
            key = self._new_member(STARTING_COHORT)
            cycle = Cycle(spend=start_member.spend, realized=start_member.realized, points=start_member.points)
            self.economy.add_member(key, cycle, lifetime_spend=start_member.lifetime_spend)
            cohort = self.cohorts[STARTING_COHORT]
            cohort.spend += to_decimal(start_member.lifetime_spend)
            cohort.contributed += to_decimal(start_member.contributed)
            cohort.paid_out += to_decimal(start_member.paid_out)
            if cycle.points > 0:
                self.holders += 1
            self._schedule_seller(key)

    def _schedule_seller(self, key):
        if not self.is_seller[key]:
            return
        trigger = self.economy.members[key].cycle.exit_price(self.sell_multiple)
        if trigger is None:
            self._seller_versions.pop(key, None)
            return
        version = next(self._versions)
        self._seller_versions[key] = version
        heapq.heappush(self._sellers, (trigger, version, key))

    def _cohort_index(self, day):
        return (day - 1) // self.scenario.cohort_days + 1

    def _order_size(self):
        demand = self.demand
        mean, spread = float(demand.order_size), float(demand.size_spread)
        distribution = demand.size_distribution
        if distribution == "fixed" or (distribution in ("uniform", "lognormal") and not spread):
            return money_half_up(demand.order_size, self.params.money_digits)
        if distribution == "uniform":
            size = mean * (1 + spread * (2 * self.rng.random() - 1))
        elif distribution == "lognormal":
            sigma = math.sqrt(math.log(1 + spread * spread))
            size = self.rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)
        else:
            size = self.rng.expovariate(1 / mean)
        return max(money_half_up(size, self.params.money_digits), self.cent)

    def _cohort_results(self):
        """Cohorts in order, with the points they still hold valued at the final price.

        Values are rounded on the running total, so that they add up to the pool
        balance exactly when every point is held by some cohort.
        """
        held = {index: Decimal(0) for index in self.cohorts}
        for key, member in self.economy.members.items():
            held[self.cohort_of[key]] += member.cycle.points
        results = []
        running_points, running_value = Decimal(0), Decimal(0)
        for index in sorted(self.cohorts):
            cohort = self.cohorts[index]
            cohort.held_points = held[index]
            running_points += held[index]
            value = money_half_up(self.pool.value_of(running_points), self.params.money_digits)
            cohort.held_value, running_value = value - running_value, value
            results.append(cohort)
        return results


def simulate(scenario, start=None):
    """Runs ``scenario`` (from an empty pool, or from ``start``) and returns a :class:`SimulationResult`."""
    return Simulation(scenario, start=start).run()
