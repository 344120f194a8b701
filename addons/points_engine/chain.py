"""Chain reward 2+1 (链动2+1) of SPEC §10: identities, teams, rewards, chain fund, dead lines.

Plain values in, plain values out; no Odoo. :class:`ChainTree` keeps a whole tree in memory
(simulator, property tests, doctests). The Odoo module loads only the few members an order
touches (buyer, referrer, team boss, the boss's referrer) into :class:`ChainMember` rows and
calls the same functions (:func:`become_agent`, :func:`order_payouts`, :func:`hold`,
:func:`task_met`, :func:`pick_reassignments`, :func:`spill_target`), so the rules live here only.

Identities: member → agent (pays a package) → boss (the ``contributed + 1``-th agent referral).
Rewards of one package order, the seeds' 1,000.00 package (chain bucket 330.00):

>>> rules = ChainRules()
>>> tree = ChainTree(rules)
>>> for key, referrer in [("U", None), ("u1", "U"), ("u2", "U"), ("T", "U"), ("t1", "T"), ("t2", "T"),
...                       ("t3", "T"), ("A", "T"), ("a1", "A"), ("a2", "A"), ("X", "A")]:
...     tree.join(key, referrer)
>>> for key in ["U", "u1", "u2", "T", "t1", "t2"]:
...     _ = tree.package_order(key)
>>> tree.identity("U"), tree.identity("T"), tree.team_boss("T"), tree.team_boss("t1")
('boss', 'agent', 'U', 'U')
>>> _ = tree.package_order("t3")         # T's third agent referral: T becomes a boss, t3 joins T's team
>>> tree.identity("T"), tree.team_boss("t3")
('boss', 'T')

A boss who referred the buyer earns 300 (direct, the see-point included), his boss referrer 10%:

>>> [(p.member, p.kind, p.amount, p.held) for p in tree.package_order("A")]
[('T', 'direct', Decimal('300.00'), Decimal('60.00')), ('U', 'peer', Decimal('30.00'), Decimal('6.00'))]

An agent who referred the buyer earns 100, the buyer's team boss 200 (see-point) and the boss's
boss referrer 10% of it; A's first two agent referrals are contributed to T's team:

>>> _ = tree.package_order("a1"), tree.package_order("a2")
>>> tree.team_boss("a1"), tree.team_boss("a2"), tree.identity("A")
('T', 'T', 'agent')
>>> payouts = tree.package_order("X")    # A's third: A becomes a boss first, X joins A's team
>>> [(p.member, p.kind, p.amount) for p in payouts], tree.team_boss("X")
([('A', 'direct', Decimal('300.00')), ('T', 'peer', Decimal('30.00'))], 'A')
>>> tree.join("Y", "a1")
>>> [(p.member, p.kind, p.amount, p.held) for p in tree.package_order("Y")]
[('a1', 'direct', Decimal('100.00'), Decimal('20.00')), ('T', 'see_point', Decimal('200.00'), Decimal('40.00')), ('U', 'peer', Decimal('20.00'), Decimal('4.00'))]
>>> tree.fund("T")
Decimal('286.00')

Chain fund: 20% of every reward (rounded down to the cent) is held until the task is met, then
released at once; later rewards are no longer held (``payouts.released`` says what was released).
A's contributed lines are a1 and a2; the 21st order below them releases A's fund (a2 becomes a boss on
its third agent referral, and A earns 30.00 peer rewards on a2's orders, 6.00 of them held):

>>> tree.fund("A"), tree.task("A")
(Decimal('100.00'), ('a1', 'agent', 'a2', 'agent', 1, 21))
>>> for n in range(19):
...     tree.join(f"y{n}", "a2")
...     payouts = tree.package_order(f"y{n}")
>>> tree.task("A"), payouts.released
(('a1', 'agent', 'a2', 'boss', 20, 21), {})
>>> tree.join("z", "a2"); payouts = tree.package_order("z")
>>> payouts.released, tree.fund("A"), tree.released("A")
({'A': Decimal('208.00')}, Decimal('0'), True)

A line's becoming an agent can meet the task too: B's line b1 has 21 orders below it when b2, B's
second line, pays its package; that order releases B's fund:

>>> tree.join("B", "X"); tree.join("b1", "B"); tree.join("b2", "B"); _ = tree.package_order("B")
>>> _ = tree.package_order("b1")
>>> for n in range(21):
...     tree.join(f"w{n}", "b1"); _ = tree.package_order(f"w{n}")
>>> tree.released("B"), tree.package_order("b2").released
(False, {'B': Decimal('40.00')})
"""

import functools
from dataclasses import dataclass, field
from decimal import Decimal

from .rounding import exact as _exact_context
from .rounding import money_down, to_decimal

MEMBER, AGENT, BOSS = "member", "agent", "boss"
IDENTITIES = (MEMBER, AGENT, BOSS)
#: Kinds of chain rewards.
DIRECT, SEE_POINT, PEER = "direct", "see_point", "peer"
#: Dead-line policies.
PERIODIC, SPILLOVER = "periodic", "spillover"
#: How a member got its team boss: joined a boss directly, inherited it as a contributed agent
#: (follows its team parent when that one's team changes), or inherited it from a plain member.
JOINED, INHERITED, NONE = "joined", "inherited", "none"
#: Placement lines per member under the 3×3 spill-over policy.
LINES = 3


def exact(func):
    """:func:`.rounding.exact` keeping the function's module, so that doctest finds its examples."""
    return functools.wraps(func)(_exact_context(func))


@dataclass(frozen=True)
class ChainRules:
    """Parameters of one chain program (defaults: the seeds' 1,000.00 package)."""

    agent_direct: Decimal = Decimal("100.00")
    boss_direct: Decimal = Decimal("300.00")
    see_point: Decimal = Decimal("200.00")
    peer_rate: Decimal = Decimal("0.10")
    contributed: int = 2
    fund_rate: Decimal = Decimal("0.20")
    task_orders: int = 20
    #: None, :data:`PERIODIC` or :data:`SPILLOVER`.
    policy: str | None = None

    def __post_init__(self):
        for name in ("agent_direct", "boss_direct", "see_point", "peer_rate", "fund_rate"):
            value = to_decimal(getattr(self, name))
            if value < 0:
                raise ValueError(f"{name} must not be negative")
            object.__setattr__(self, name, value)
        if self.peer_rate > 1 or self.fund_rate > 1:
            raise ValueError("peer_rate and fund_rate are shares between 0 and 1")
        if int(self.contributed) < 0 or int(self.task_orders) < 0:
            raise ValueError("contributed and task_orders must not be negative")
        if self.policy not in (None, PERIODIC, SPILLOVER):
            raise ValueError(f"unknown dead-line policy {self.policy!r}")

    @exact
    def max_payout(self):
        """Most one package order can pay (to compare with the plan's chain bucket).

        >>> ChainRules().max_payout()
        Decimal('330.00')
        """
        boss = self.boss_direct + money_down(self.boss_direct * self.peer_rate)
        agent = self.agent_direct + self.see_point + money_down(self.see_point * self.peer_rate)
        return max(boss, agent)

    @exact
    def sample_split(self):
        """The two splits of a package: [(kind, amount)] paid under a boss and under an agent.

        >>> [[(k, str(a)) for k, a in split] for split in ChainRules().sample_split()]
        [[('direct', '300.00'), ('peer', '30.00')], [('direct', '100.00'), ('see_point', '200.00'), ('peer', '20.00')]]
        """
        return (
            [(DIRECT, money_down(self.boss_direct)), (PEER, money_down(self.boss_direct * self.peer_rate))],
            [(DIRECT, money_down(self.agent_direct)), (SEE_POINT, money_down(self.see_point)),
             (PEER, money_down(self.see_point * self.peer_rate))],
        )


@dataclass
class ChainMember:
    """Chain state of one member (a row of the Odoo module).

    ``slots`` counts the agent referrals (team children) that became agents while this member
    was an agent or a boss; the first ``contributed`` of them are ``lines`` (contributed lines).
    """

    key: object
    identity: str = MEMBER
    team_boss: object = None
    team_source: str = NONE
    slots: int = 0
    lines: list = field(default_factory=list)
    fund: Decimal = Decimal(0)
    released: bool = False


@dataclass(frozen=True)
class ChainPayout:
    """One chain reward: ``held`` is the part of ``amount`` kept in the earner's chain fund."""

    member: object
    kind: str
    amount: Decimal
    held: Decimal = Decimal(0)
    origin: object = None


class Payouts(list):
    """The payouts of one order; ``released`` maps members to the fund released by that order."""

    def __init__(self, payouts=(), released=None):
        super().__init__(payouts)
        self.released = released or {}


def become_agent(rules, member, parent):
    """Makes ``member`` (a :class:`ChainMember`) an agent under its team parent ``parent``
    (the referrer, or the placement parent under spill-over; None if it has none).

    Returns the identity changes [(key, old, new)] in the order they happen (the parent first).
    A member already agent or boss is left as is (repeat purchase).

    >>> r, x = ChainMember("r", AGENT, team_boss="t", team_source=JOINED), ChainMember("x")
    >>> become_agent(ChainRules(), x, r), x.team_boss, x.team_source, r.lines
    ([('x', 'member', 'agent')], 't', 'inherited', ['x'])
    """
    if member.identity != MEMBER:
        return []
    changes = []
    if parent is None or parent.identity == MEMBER:
        member.team_boss, member.team_source = (parent.team_boss if parent else None), NONE
    elif parent.identity == BOSS:
        parent.slots += 1
        member.team_boss, member.team_source = parent.key, JOINED
    elif parent.slots < rules.contributed:
        parent.slots += 1
        parent.lines.append(member.key)
        member.team_boss, member.team_source = parent.team_boss, INHERITED
    else:
        parent.slots += 1
        parent.identity = BOSS
        changes.append((parent.key, AGENT, BOSS))
        member.team_boss, member.team_source = parent.key, JOINED
    member.identity = AGENT
    changes.append((member.key, MEMBER, AGENT))
    return changes


@exact
def order_payouts(rules, referrer, team_boss, boss_referrer_of):
    """Rewards of one package order (identities already updated), without the fund.

    ``referrer`` and ``team_boss`` are the buyer's (:class:`ChainMember` or None);
    ``boss_referrer_of(boss_key)`` gives the referrer of the boss who earned (or None).
    Returns [(member key, kind, amount, origin)].

    >>> boss = ChainMember("b", BOSS)
    >>> order_payouts(ChainRules(), ChainMember("r", AGENT), boss, lambda key: ChainMember("u", BOSS))
    [('r', 'direct', Decimal('100.00'), None), ('b', 'see_point', Decimal('200.00'), None), ('u', 'peer', Decimal('20.00'), 'b')]
    """
    payouts = []
    earner = None
    if referrer is not None and referrer.identity == BOSS:
        earner = (referrer.key, money_down(rules.boss_direct))
        payouts.append((referrer.key, DIRECT, earner[1], None))
    else:
        if referrer is not None and referrer.identity == AGENT:
            payouts.append((referrer.key, DIRECT, money_down(rules.agent_direct), None))
        if team_boss is not None:
            earner = (team_boss.key, money_down(rules.see_point))
            payouts.append((team_boss.key, SEE_POINT, earner[1], None))
    if earner is not None:
        upline = boss_referrer_of(earner[0])
        if upline is not None and upline.identity == BOSS:
            payouts.append((upline.key, PEER, money_down(earner[1] * rules.peer_rate), earner[0]))
    return [p for p in payouts if p[2] > 0]


@exact
def hold(rules, member, amount):
    """Part of ``amount`` earned by ``member`` kept in its chain fund (added to ``member.fund``).

    >>> m = ChainMember("m")
    >>> hold(ChainRules(), m, Decimal("20.05")), m.fund
    (Decimal('4.01'), Decimal('4.01'))
    >>> m.released = True; hold(ChainRules(), m, Decimal("100"))
    Decimal('0')
    """
    if member.released:
        return Decimal(0)
    held = money_down(to_decimal(amount) * rules.fund_rate)
    member.fund += held
    return held


def task_met(rules, lines):
    """Whether the task is met; ``lines`` are [(identity, orders below)] of the contributed lines.

    >>> task_met(ChainRules(), [("agent", 10), ("boss", 11)]), task_met(ChainRules(), [("agent", 20), ("agent", 0)])
    (True, False)
    """
    if len(lines) < rules.contributed:
        return False
    if any(identity not in (AGENT, BOSS) for identity, _count in lines):
        return False
    return sum(count for _identity, count in lines) > rules.task_orders


def pick_reassignments(lines, candidates):
    """Periodic re-assignment (周期自动强制换线) of one earner.

    ``lines``: [(key, orders in the period)] of the contributed lines; ``candidates``:
    [(key, orders in the period, seniority)] of the other direct lines (agents or bosses).
    A line with no order is replaced by the most active candidate of the period (most orders in
    its subtree; ties: the oldest, i.e. smallest seniority); a candidate without orders never
    replaces anything. Dead lines are served in the order given (callers give the oldest first:
    with one candidate for two dead lines, the oldest dead line is replaced). Returns [(dropped, added)].

    >>> pick_reassignments([("b1", 0), ("b2", 4)], [("c", 2, 5), ("d", 3, 9), ("e", 3, 7)])
    [('b1', 'e')]
    """
    pool = sorted((c for c in candidates if c[1] > 0), key=lambda c: (-c[1], c[2]))
    result = []
    for key, count in lines:
        if count == 0 and pool:
            result.append((key, pool.pop(0)[0]))
    return result


def swap_line(earner, dropped, added):
    """Replaces the contributed line ``dropped`` of ``earner`` by ``added`` (all :class:`ChainMember`).

    The dropped line leaves the earner's team boss: it joins the earner's team if the earner is a boss
    (else keeps its team); the added line is contributed to the earner's team boss. Returns
    [(state, team boss, team source)] of the two moves; the contributed lines below a moved member
    follow it (:meth:`ChainTree._set_team`).

    >>> e, d, n = ChainMember("e", BOSS, "t", JOINED, 3, ["d", "x"]), ChainMember("d", AGENT, "t", INHERITED), ChainMember("n", AGENT, "e", JOINED)
    >>> [(m.key, boss, source) for m, boss, source in swap_line(e, d, n)], e.lines
    ([('d', 'e', 'joined'), ('n', 't', 'inherited')], ['n', 'x'])
    """
    earner.lines[earner.lines.index(dropped.key)] = added.key
    if earner.identity == BOSS:
        moves = [(dropped, earner.key, JOINED)]
    else:
        moves = [(dropped, earner.team_boss, dropped.team_source)]
    moves.append((added, earner.team_boss, INHERITED))
    for state, boss, source in moves:
        state.team_boss, state.team_source = boss, source
    return moves


def spill_block(deep):
    """Lines (1-based) that the ``deep + 1``-th referral placed below the first level goes under.

    The seeds' 三三滑落: the first three referrals who become agents are the member's lines (directly
    under it, while it has fewer than three placement children); then the 4th and 5th spill under
    line 3 (财富线, the member's own team), the 6th–9th under lines 1–2 (the contributed lines left
    to the upline, 贡献位), the 10th–13th under line 3, the next 8 under lines 1–2, and so on: rounds
    of one block under line 3 then one twice as long under lines 1–2, each round twice the last
    (2 + 4, 4 + 8, 8 + 16, …), so that the contributed lines get two thirds of the spill-over.

    >>> [spill_block(n) for n in range(20)]  # doctest: +NORMALIZE_WHITESPACE
    [(3,), (3,), (1, 2), (1, 2), (1, 2), (1, 2), (3,), (3,), (3,), (3,), (1, 2), (1, 2), (1, 2), (1, 2),
     (1, 2), (1, 2), (1, 2), (1, 2), (3,), (3,)]
    """
    size, start = 2, 0              # round k: 2^(k+1) under line 3, then 2^(k+2) under lines 1–2
    while deep >= start + 3 * size:
        start += 3 * size
        size *= 2
    return (3,) if deep < start + size else (1, 2)


def spill_target(roots, children):
    """Breadth-first slot under the placement subtrees of ``roots``: among the nodes with fewer
    than three placement children, the shallowest, then the one with fewest children, then the
    first in breadth-first order (lines in order, children in placement order).

    ``children(key)`` lists a node's placement children in order.

    >>> kids = {"r1": [], "r2": ["a"], "a": []}
    >>> spill_target(["r1", "r2"], lambda k: kids.get(k, []))
    'r1'
    """
    level = list(roots)
    while level:
        best = None
        for rank, key in enumerate(level):
            count = len(children(key))
            if count < LINES and (best is None or count < best[0]):
                best = (count, rank, key)
        if best is not None:
            return best[2]
        level = [child for key in level for child in children(key)]
    return None


class ChainTree:
    """A whole chain program in memory (see the module's examples).

    Under the 3×3 spill-over policy (三三滑落) every referral is also placed in a placement tree
    (:meth:`placement_parent`) when it becomes an agent (its first package order, or a gift):
    positions (点位) are taken by paying members only, in the order they pay, so that a member who
    never buys leaves no dead position. The placement tree then replaces the referral tree in the
    team rules (slots, boss promotion, contributed lines, team boss) and in the task: the orders
    "below B1 and B2" are those paid in their placement subtrees, which is where the spill-over
    helps the lines left to the upline (帮扶贡献位). The referral tree still decides the direct and
    peer rewards. Placement order of the first 13 referrals of S (no other placements), each
    placed by its first package order (:func:`spill_block`, :func:`spill_target`):

    >>> tree = ChainTree(ChainRules(policy="spillover"))
    >>> tree.join("S"); _ = tree.package_order("S")
    >>> for n in range(1, 14):
    ...     tree.join(f"r{n}", "S"); _ = tree.package_order(f"r{n}")
    >>> [(f"r{n}", tree.placement_parent(f"r{n}")) for n in range(1, 14)]  # doctest: +NORMALIZE_WHITESPACE
    [('r1', 'S'), ('r2', 'S'), ('r3', 'S'), ('r4', 'r3'), ('r5', 'r3'), ('r6', 'r1'), ('r7', 'r2'),
     ('r8', 'r1'), ('r9', 'r2'), ('r10', 'r3'), ('r11', 'r4'), ('r12', 'r5'), ('r13', 'r10')]

    A referral who has not paid is not placed; the orders below r1 (r6 and r8) count for S's task:

    >>> tree.join("late", "S"); tree.placement_parent("late") is None
    True
    >>> tree.contributed_lines("S"), tree.orders_below("r1"), tree.task("S")[4]
    (['r1', 'r2'], 2, 4)

    A referral who pays before its referrer is placed below it; the referrer's subtree comes along when
    the referrer pays and is placed in turn (the task counts the orders of the subtree as it stands):

    >>> tree.join("x", "r13"); tree.join("y", "x"); _ = tree.package_order("y")
    >>> tree.placement_parent("y"), tree.placement_parent("x"), tree.orders_below("r13")
    ('x', None, 0)
    >>> _ = tree.package_order("x"); tree.placement_parent("x"), tree.orders_below("r13"), tree.orders_below("r3")
    ('r13', 2, 8)
    """

    def __init__(self, rules=None):
        self.rules = rules or ChainRules()
        self._state = {}
        self._referrer = {}
        self._referrals = {}
        self._parent = {}       # team parent: referrer, or placement parent under spill-over
        self._children = {}     # team children in order
        self._deep = {}         # referrals placed below the first level (spill-over)
        self._seniority = {}
        self._below = {}        # package orders paid in the team subtree, the member's own excluded
        self._period = {}       # package orders in the team subtree, own included, this period
        self.log = []           # (event, *details): identity changes, re-assignments, releases

    # -- members ---------------------------------------------------------------------------
    def join(self, member, referrer=None):
        """Adds ``member`` (any hashable key) as a plain member referred by ``referrer``."""
        if member in self._state:
            raise ValueError(f"{member!r} has already joined")
        if referrer is not None and referrer not in self._state:
            raise ValueError(f"unknown referrer {referrer!r}")
        self._state[member] = ChainMember(member)
        self._seniority[member] = len(self._seniority)
        self._referrer[member] = referrer
        self._referrals[member] = []
        self._children[member] = []
        self._below[member] = 0
        self._deep[member] = 0
        parent = referrer
        if referrer is not None:
            self._referrals[referrer].append(member)
            if self.rules.policy == SPILLOVER:
                parent = None           # placed when it becomes an agent (:meth:`_become_agent`)
            else:
                self._children[referrer].append(member)
        self._parent[member] = parent

    def _place(self, referrer):
        lines = self._children[referrer]
        if len(lines) < LINES:
            return referrer
        roots = [lines[i - 1] for i in spill_block(self._deep[referrer])]
        self._deep[referrer] += 1
        return spill_target(roots, self._children.__getitem__)

    def identity(self, member):
        return self._state[member].identity

    def team_boss(self, member):
        return self._state[member].team_boss

    def fund(self, member):
        return self._state[member].fund

    def released(self, member):
        return self._state[member].released

    def referrer(self, member):
        return self._referrer[member]

    def placement_parent(self, member):
        """Team parent: the placement parent under spill-over (None until placed), else the referrer."""
        return self._parent[member]

    def contributed_lines(self, member):
        return list(self._state[member].lines)

    def orders_below(self, member):
        """Package orders paid in the member's team subtree, its own excluded."""
        return self._below[member]

    def task(self, member):
        """(B1, identity, B2, identity, orders below them, orders needed); missing lines are None."""
        lines = self._state[member].lines
        keys = [lines[i] if i < len(lines) else None for i in range(max(self.rules.contributed, 2))]
        out = []
        for key in keys[:2]:
            out += [key, self._state[key].identity if key is not None else None]
        return (*out, sum(self._below[k] for k in lines), self.rules.task_orders + 1)

    def team(self, boss):
        """Members whose team boss is ``boss``."""
        return [key for key, state in self._state.items() if state.team_boss == boss]

    def set_identity(self, member, identity):
        """Sets an identity by hand (gift, 内排): upgrades only, through the same team rules
        (a gifted agent takes a slot of its team parent); logged. No reward is paid."""
        if identity not in IDENTITIES:
            raise ValueError(f"unknown identity {identity!r}")
        state = self._state[member]
        if IDENTITIES.index(identity) < IDENTITIES.index(state.identity):
            raise ValueError("identities are never lowered")
        changes = self._become_agent(member) if identity != MEMBER else []
        if identity == BOSS and state.identity != BOSS:
            changes.append((member, state.identity, BOSS))
            state.identity = BOSS
        self.log += [("identity", *change, "manual") for change in changes]
        self._check_line_parent(member)
        return changes

    def _become_agent(self, member):
        referrer = self._referrer[member]
        if (self.rules.policy == SPILLOVER and self._state[member].identity == MEMBER and referrer is not None
                and self._parent[member] is None):
            parent = self._place(referrer)
            self._children[parent].append(member)
            self._parent[member] = parent
            node, moved = parent, self._below[member]   # referrals placed below it before it paid come along
            while node is not None and moved:
                self._below[node] += moved
                node = self._parent[node]
        parent = self._parent[member]
        return become_agent(self.rules, self._state[member], self._state[parent] if parent is not None else None)

    # -- orders ----------------------------------------------------------------------------
    def package_order(self, member):
        """Pays one package order of ``member``: identities first, then the rewards, then the task."""
        rules = self.rules
        self.log += [("identity", *change, "order") for change in self._become_agent(member)]
        referrer = self._referrer[member]
        boss = self._state[member].team_boss
        raw = order_payouts(
            rules,
            self._state[referrer] if referrer is not None else None,
            self._state[boss] if boss is not None else None,
            lambda key: self._state[self._referrer[key]] if self._referrer[key] is not None else None,
        )
        payouts = []
        for key, kind, amount, origin in raw:
            payouts.append(ChainPayout(key, kind, amount, hold(rules, self._state[key], amount), origin))
        released = {}
        self._period[member] = self._period.get(member, 0) + 1
        amount = self._check_line_parent(member)
        if amount is not None:
            released[self._parent[member]] = amount
        node, parent = member, self._parent[member]
        while parent is not None:
            self._below[parent] += 1
            self._period[parent] = self._period.get(parent, 0) + 1
            grand = self._parent[parent]
            if grand is not None and parent in self._state[grand].lines and not self._state[grand].released:
                amount = self._check_task(grand)
                if amount is not None:
                    released[grand] = amount
            node, parent = parent, grand
        return Payouts(payouts, released)

    def _check_line_parent(self, member):
        """The task of the team parent ``member`` is a contributed line of: a line becoming an agent can meet it
        (with enough orders below the other line already); released at once, as by an order below."""
        parent = self._parent[member]
        if parent is None or member not in self._state[parent].lines or self._state[parent].released:
            return None
        return self._check_task(parent)

    def _check_task(self, member):
        state = self._state[member]
        lines = [(self._state[k].identity, self._below[k]) for k in state.lines]
        if state.released or not task_met(self.rules, lines):
            return None
        amount, state.fund, state.released = state.fund, Decimal(0), True
        self.log.append(("release", member, amount))
        return amount

    # -- dead lines ------------------------------------------------------------------------
    def close_period(self):
        """Periodic re-assignment over the orders since the last call; returns [(earner, dropped, added)].

        >>> tree = ChainTree(ChainRules(policy="periodic"))
        >>> for key, referrer in [("E", None), ("b1", "E"), ("b2", "E"), ("c", "E"), ("d", "b2")]:
        ...     tree.join(key, referrer); _ = tree.package_order(key)
        >>> tree.close_period()
        []
        >>> _ = tree.package_order("c"), tree.package_order("d")   # b1's line is dead this period
        >>> tree.close_period()
        [('E', 'b1', 'c')]
        >>> tree.contributed_lines("E"), tree.team_boss("b1"), tree.team_boss("c")
        (['c', 'b2'], 'E', None)
        """
        changes = []
        period = self._period
        self._period = {}
        if self.rules.policy != PERIODIC:
            return changes
        for earner, state in list(self._state.items()):
            if not state.lines:
                continue
            lines = [(k, period.get(k, 0)) for k in sorted(state.lines, key=self._seniority.__getitem__)]
            candidates = [(k, period.get(k, 0), self._seniority[k]) for k in self._children[earner]
                          if k not in state.lines and self._state[k].identity != MEMBER]
            for dropped, added in pick_reassignments(lines, candidates):
                self._swap(earner, dropped, added)
                changes.append((earner, dropped, added))
            if not state.released:
                self._check_task(earner)
        return changes

    def _swap(self, earner, dropped, added):
        self.log.append(("reassign", earner, dropped, added))
        for state, boss, source in swap_line(self._state[earner], self._state[dropped], self._state[added]):
            self._set_team(state.key, boss, source)

    def _set_team(self, member, boss, source):
        """Moves ``member`` to ``boss``'s team, with the contributed agents that inherit its team."""
        stack = [(member, boss, source)]
        while stack:
            key, boss, source = stack.pop()
            state = self._state[key]
            state.team_boss, state.team_source = boss, source
            stack += [(child, boss, INHERITED) for child in self._children[key]
                      if self._state[child].team_source == INHERITED and child in state.lines]
