"""Benchmark of the referral tree and the rewards: prints figures beside their goals, asserts nothing about timings.

Run it on a throwaway database where points_reward is installed without demo data
(the script commits freely there), with Odoo's options on the command line, e.g.::

    source scripts/common.sh
    createdb ref_bench && odoo_cmd -d ref_bench -i points_reward --without-demo=all --stop-after-init
    $PY tests/bench/bench_referral.py -c odoo.conf --addons-path="$(odoo_addons_path)" -d ref_bench

It measures:

1. rewards for one order line whose buyer sits at referral depth 10,000 (level 1
   and 2, rank differential walking the whole chain up to a director at the top,
   peer, regional agents, dividend accrual), each line in its own committed
   transaction, as ``_reward_source`` and as a whole paid line (``_on_paid``:
   pool contribution, team statistics, rank check and rewards); and the engine alone;
2. moving a subtree of 100,000 members (``_bind_referrer`` by staff) under another
   member;
3. the team statistics of a paid line: the one upsert along the path, for a buyer
   at depth 10,000 and for a buyer with 100,000 members below it.

The members are inserted and linked with bulk SQL (the equivalent of binding each
member under its referrer, which would take hours for a 10,000-deep chain); the
script checks the stored tree against the referrer links on samples before timing.
"""

import statistics
import sys
from decimal import Decimal
from time import perf_counter

import odoo
from odoo.tools import SQL, config

from bench_pool import in_transaction  # noqa: E402 (a sibling script: one transaction per call, committed)

CHAIN_DEPTH = 10_000
SUBTREE_SIZE = 100_000
BRANCHING = 10
REWARD_RUNS = 30
WARMUP = 3
REWARD_GOAL_MS = 50
MOVE_GOAL_S = 5


def timed_transaction(registry, work):
    started = perf_counter()
    result = in_transaction(registry, work)
    return perf_counter() - started, result


def insert_members(env, count, prefix):
    """``count`` new partners in one statement, made tree roots with their referral codes."""
    env.cr.execute(SQL(
        """INSERT INTO res_partner (name, complete_name, active, type, autopost_bills, is_company,
                                    create_uid, write_uid, create_date, write_date)
           SELECT %s || n, %s || n, true, 'contact', 'ask', false, 1, 1, now(), now()
             FROM generate_series(1, %s) AS n
           RETURNING id""", prefix, prefix, count))
    ids = sorted(row[0] for row in env.cr.fetchall())
    env.cr.execute(SQL("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", ids))
    env["res.partner"].browse(ids)._referral_init_nodes()
    return ids


def link_chain(env, ids, top_path):
    """ids[0] under the member whose path is ``top_path`` (or a root), each next one under the previous."""
    env.cr.execute(SQL(
        """WITH chain AS (SELECT id, n, array_agg(id) OVER (ORDER BY n) AS path, lag(id) OVER (ORDER BY n) AS referrer
                            FROM unnest(%(ids)s::int4[]) WITH ORDINALITY AS member(id, n)),
                nodes AS (UPDATE points_referral_node AS node
                             SET path = %(top)s::int4[] || chain.path, depth = %(depth)s + chain.n - 1
                            FROM chain WHERE node.partner_id = chain.id)
           UPDATE res_partner AS p
              SET referrer_id = coalesce(chain.referrer, %(referrer)s),
                  referral_team_size = %(count)s - chain.n,
                  referral_direct_count = CASE WHEN chain.n < %(count)s THEN 1 ELSE 0 END
             FROM chain WHERE p.id = chain.id""",
        top=top_path, depth=len(top_path), referrer=top_path[-1] if top_path else None, count=len(ids), ids=ids))


def link_tree(env, ids, top_path, branching):
    """ids[0] under ``top_path``, then every member i under member (i - 1) // branching: a bushy subtree."""
    paths, parents = [], []
    for index, member in enumerate(ids):
        parent = (index - 1) // branching if index else None
        parents.append(ids[parent] if parent is not None else top_path[-1])
        paths.append((paths[parent] if parent is not None else list(top_path)) + [member])
    sizes, directs = [0] * len(ids), [0] * len(ids)
    for index in range(len(ids) - 1, 0, -1):
        parent = (index - 1) // branching
        sizes[parent] += sizes[index] + 1
        directs[parent] += 1
    env.cr.execute(SQL(
        """WITH tree AS (SELECT * FROM unnest(%s::int4[], %s::text[], %s::int4[], %s::int4[], %s::int4[])
                                    AS node(id, path, referrer, size, direct)),
                nodes AS (UPDATE points_referral_node AS node
                             SET path = tree.path::int4[], depth = cardinality(tree.path::int4[]) - 1
                            FROM tree WHERE node.partner_id = tree.id)
           UPDATE res_partner AS p
              SET referrer_id = tree.referrer, referral_team_size = tree.size, referral_direct_count = tree.direct
             FROM tree WHERE p.id = tree.id""",
        ids, ["{" + ",".join(map(str, path)) + "}" for path in paths], parents, sizes, directs))
    size = len(ids)
    env.cr.execute(SQL(
        """UPDATE res_partner SET referral_team_size = referral_team_size + %s,
                  referral_direct_count = referral_direct_count + CASE WHEN id = %s THEN 1 ELSE 0 END
            WHERE id = ANY(%s)""", size, top_path[-1], top_path))


def check_tree(env, partner_ids):
    """The stored paths, depths and team sizes agree with the referrer links (samples)."""
    Partner = env["res.partner"]
    Partner.flush_model()
    for partner in Partner.browse(partner_ids):
        chain, node = [], partner.id
        while node:
            chain.insert(0, node)
            env.cr.execute(SQL("SELECT referrer_id FROM res_partner WHERE id = %s", node))
            node = env.cr.fetchone()[0]
        if partner._referral_path() != chain or partner.referral_depth != len(chain) - 1:
            raise RuntimeError(f"stored path of {partner.name} is wrong: the figures would mean nothing")
    return True


def setup(env):
    company = env.ref("base.main_company")
    pool = env["points.pool"]._get_for_company(company)
    if not pool.journal_id:
        pool._ensure_accounting()
    ranks = env["points.rank"].create([
        {"name": name, "level": level, "company_id": company.id, "auto_upgrade": False}
        for level, name in enumerate(("VIP", "Team Leader", "Partner", "Co-founder", "Director"), start=1)])
    partner_rank, director = ranks[2], ranks[4]
    pool.with_context(points_depth_acknowledged=True).reward_depth_limit = CHAIN_DEPTH + 10

    chain = insert_members(env, CHAIN_DEPTH + 1, "Chain member ")
    link_chain(env, chain, [])
    buyer_deep = chain[-1]
    env["res.partner"].invalidate_model()
    env["res.partner"].browse(chain[0])._set_rank(director, company, trigger="job")
    env["res.partner"].browse(chain[-2])._set_rank(partner_rank, company, trigger="job")

    cn = env.ref("base.cn")
    agents = insert_members(env, 4, "Agent ")
    env["points.agent"].create([
        {"partner_id": agent, "company_id": company.id, "level_id": env.ref(f"points_reward.agent_level_{level}").id,
         "country_id": cn.id}
        for agent, level in zip(agents, ("district", "city", "province", "region"))])
    env["res.partner"].browse(buyer_deep).country_id = cn

    Rule = env["points.reward.rule"]
    Rule.create({"name": "Direct", "rule_type": "level", "level": 1, "basis": "fixed", "value": 100,
                 "company_id": company.id})
    Rule.create({"name": "Indirect", "rule_type": "level", "level": 2, "basis": "fixed", "value": 50,
                 "company_id": company.id})
    Rule.create({"name": "Differential", "rule_type": "rank_differential", "basis": "fixed", "company_id": company.id,
                 "line_ids": [(0, 0, {"rank_id": rank.id, "value": value})
                              for rank, value in ((partner_rank, 10), (ranks[3], 20), (director, 30))]})
    Rule.create({"name": "Peer", "rule_type": "peer", "bucket": "rank_differential", "value": 10,
                 "company_id": company.id})
    Rule.create({"name": "Regional", "rule_type": "regional", "basis": "fixed", "company_id": company.id,
                 "line_ids": [(0, 0, {"agent_level_id": env.ref(f"points_reward.agent_level_{level}").id, "value": value})
                              for level, value in (("district", 3), ("city", 5), ("province", 8), ("region", 10))]})
    Rule.create({"name": "Dividend", "rule_type": "dividend", "basis": "bucket", "value": 100,
                 "company_id": company.id, "line_ids": [(0, 0, {"rank_id": director.id, "value": 100})]})
    plan = env["points.allocation.plan"].create({"name": "Bench package", "company_id": company.id, "line_ids": [
        (0, 0, {"bucket": bucket, "basis": "price", "value": value}) for bucket, value in (
            ("pool", 30), ("referral", 33), ("rank_differential", 4), ("regional", 1), ("dividend", 4),
            ("cost", 20), ("platform", 8))]})
    product = env["product.product"].create({"name": "Bench package", "list_price": 1000})
    product.product_tmpl_id.with_company(company).points_plan_id = plan

    # The subtree: its root under a short chain (a ← b ← root), then moved under c ← d.
    a, b, c, d = insert_members(env, 4, "Upline ")
    link_chain(env, [a, b], [])
    link_chain(env, [c, d], [])
    env["points.wallet"]._get_for_partner(env["res.partner"].browse(d), company)  # d refers: a member
    subtree = insert_members(env, SUBTREE_SIZE, "Subtree member ")
    link_tree(env, subtree, [a, b], BRANCHING)
    env["res.partner"].invalidate_model()
    check_tree(env, [chain[-1], chain[len(chain) // 2], subtree[0], subtree[-1], subtree[SUBTREE_SIZE // 3]])
    if len(env["res.partner"].browse(subtree[0])._get_downline()) != SUBTREE_SIZE - 1:
        raise RuntimeError("the subtree was not built as planned")
    # The subtree's root has spent and has a team volume: the move carries it along.
    env["points.team.stat"]._add_order(env["res.partner"].browse(subtree[1]), company, 500.0, 1)
    return {"company": company.id, "buyer_deep": buyer_deep, "chain_top": chain[0], "subtree": subtree[0],
            "subtree_child": subtree[1], "b": b, "d": d, "product": product.id}


def bench_rewards(registry, ids):
    """Milliseconds of ``_reward_source`` and of a whole paid line for the buyer at depth 10,000."""

    def reward(env):
        company = env["res.company"].browse(ids["company"])
        buyer = env["res.partner"].browse(ids["buyer_deep"])
        line = env["res.partner.category"].create({"name": "Bench line"})
        return len(env["points.reward"]._reward_source(
            line, buyer, {"referral": 330.0, "rank_differential": 40.0, "regional": 10.0, "dividend": 40.0},
            company, base_amount=1000.0))

    def paid_line(env):
        company = env["res.company"].browse(ids["company"])
        line = env["res.partner.category"].create({"name": "Bench paid line"})
        rows = env["points.allocation"]._allocate(
            line, order=None, partner=env["res.partner"].browse(ids["buyer_deep"]),
            product=env["product.product"].browse(ids["product"]), quantity=1, amount=1000.0, company=company)
        rows._on_paid()
        return len(env["points.reward"].search([("source_model", "=", line._name), ("source_id", "=", line.id)]))

    def accounting(mode):
        def work(env):
            env["points.pool"]._get_for_company(env["res.company"].browse(ids["company"])).accounting_mode = mode
        return work

    results = {}
    for name, work, mode in (("reward", reward, "realtime"), ("reward_batch", reward, "batch"),
                             ("paid_line", paid_line, "realtime")):
        in_transaction(registry, accounting(mode))
        for _warm in range(WARMUP):
            timed_transaction(registry, work)
        timings, counts = [], set()
        for _run in range(REWARD_RUNS):
            seconds, count = timed_transaction(registry, work)
            timings.append(seconds * 1000)
            counts.add(count)
        timings.sort()
        results[name] = (statistics.median(timings), timings[int(len(timings) * 0.95) - 1], counts)
    return results


def bench_engine():
    """Milliseconds of the engine alone: differential and peer along 10,000 uplines."""
    from odoo.addons.points_engine.rewards import Upline, peer_rewards, rank_differential

    chain = [Upline(1, 3)] + [Upline(n, None) for n in range(2, CHAIN_DEPTH)] + [Upline(CHAIN_DEPTH, 5)]
    rates = {3: Decimal(10), 4: Decimal(20), 5: Decimal(30)}
    timings = []
    for _run in range(REWARD_RUNS):
        started = perf_counter()
        earned = rank_differential(chain, rates)
        peer_rewards(chain, earned, Decimal(10))
        timings.append((perf_counter() - started) * 1000)
    if earned != {1: Decimal(10), CHAIN_DEPTH: Decimal(20)}:
        raise RuntimeError("the engine walk is wrong: the figure would mean nothing")
    return statistics.median(timings)


def bench_move(registry, ids):
    """Seconds to move the 100,000-member subtree from under b to under d, and the check of the result."""

    def move(env):
        Partner = env["res.partner"]
        root = Partner.browse(ids["subtree"])
        root._bind_referrer(Partner.browse(ids["d"]), via="staff", reason="benchmark move",
                            company=env["res.company"].browse(ids["company"]))
        return root.referral_move_ids[:1].subtree_size

    seconds, moved = timed_transaction(registry, move)

    def verify(env):
        Partner = env["res.partner"]
        b, d = Partner.browse(ids["b"]), Partner.browse(ids["d"])
        stat = env["points.team.stat"].search([("partner_id", "=", d.id)])
        check_tree(env, [ids["subtree"], ids["subtree"] + SUBTREE_SIZE // 2, ids["subtree"] + SUBTREE_SIZE - 1])
        return (b.referral_team_size, d.referral_team_size, stat.team_volume, len(d._get_downline()))

    b_size, d_size, d_volume, d_downline = in_transaction(registry, verify)
    if (moved, b_size, d_size, d_downline, d_volume) != (SUBTREE_SIZE, 0, SUBTREE_SIZE, SUBTREE_SIZE, 500.0):
        raise RuntimeError(f"the move is wrong ({moved}, {b_size}, {d_size}, {d_downline}, {d_volume})")
    return seconds


def bench_team_stats(registry, ids):
    """Milliseconds of the team-statistics upsert for a paid line, and the rows it touches."""

    def add(partner_id):
        def work(env):
            env["points.team.stat"]._add_order(env["res.partner"].browse(partner_id),
                                               env["res.company"].browse(ids["company"]), 100.0, 1)
            return env["res.partner"].browse(partner_id).referral_depth + 1
        return work

    results = {}
    for name, partner_id in (("deep", ids["buyer_deep"]), ("big_team", ids["subtree_child"])):
        timings, rows = [], 0
        for _run in range(REWARD_RUNS):
            seconds, rows = timed_transaction(registry, add(partner_id))
            timings.append(seconds * 1000)
        results[name] = (statistics.median(timings), rows)
    return results


def use_smoke_sizes(argv):
    """``--smoke``: tiny sizes, so that the test script checks every part still runs."""
    if "--smoke" not in argv:
        return argv
    global CHAIN_DEPTH, SUBTREE_SIZE, REWARD_RUNS, WARMUP
    CHAIN_DEPTH = 50
    SUBTREE_SIZE = 500
    REWARD_RUNS = 3
    WARMUP = 1
    return [arg for arg in argv if arg != "--smoke"]


def main():
    config.parse_config(use_smoke_sizes(sys.argv[1:]), setup_logging=True)
    database = config["db_name"]
    started = perf_counter()
    print(f"Referral benchmark on database {database}")
    registry = odoo.modules.registry.Registry(database)
    print(f"[setup] a chain {CHAIN_DEPTH:,} deep and a subtree of {SUBTREE_SIZE:,} members (bulk SQL)")
    setup_started = perf_counter()
    ids = in_transaction(registry, setup)
    # Fresh statistics, as autovacuum gathers after a bulk load, so the planner knows who holds a rank.
    in_transaction(registry, lambda env: env.cr.execute(SQL(
        "ANALYZE res_partner, points_referral_node, points_team_stat, points_reward, points_ledger")))
    print(f"  done in {perf_counter() - setup_started:.1f} s")

    print("[1/3] rewards for one line at depth 10,000")
    engine_ms = bench_engine()
    rewards = bench_rewards(registry, ids)
    print("[2/3] moving the subtree")
    move_s = bench_move(registry, ids)
    print("[3/3] team statistics of a paid line")
    stats = bench_team_stats(registry, ids)

    def verdict(met):
        return "met" if met else "NOT MET"

    reward_ms, reward_p95, reward_counts = rewards["reward"]
    batch_ms, batch_p95, _batch_counts = rewards["reward_batch"]
    line_ms, line_p95, _line_counts = rewards["paid_line"]
    rows = [
        ("rewards of one line, depth 10,000, batch", f"{batch_ms:.1f} ms",
         f"goal <= {REWARD_GOAL_MS} ms: {verdict(batch_ms <= REWARD_GOAL_MS)}; p95 {batch_p95:.1f} ms; "
         f"{sorted(reward_counts)} rewards + 1 dividend accrual and their ledger rows, committed; "
         f"the journal entry waits for the batch job"),
        ("rewards of one line, depth 10,000, real time", f"{reward_ms:.1f} ms",
         f"goal <= {REWARD_GOAL_MS} ms: {verdict(reward_ms <= REWARD_GOAL_MS)}; p95 {reward_p95:.1f} ms; "
         f"the same plus one posted journal entry"),
        ("whole paid line, depth 10,000", f"{line_ms:.1f} ms",
         f"no goal; p95 {line_p95:.1f} ms (pool contribution + team statistics + ranks + rewards)"),
        ("engine differential + peer, 10,000 uplines", f"{engine_ms:.2f} ms", "no goal (pure Python)"),
        (f"move a subtree of {SUBTREE_SIZE:,} members", f"{move_s:.2f} s",
         f"goal <= {MOVE_GOAL_S} s: {verdict(move_s <= MOVE_GOAL_S)}; committed"),
        ("team statistics, buyer at depth 10,000", f"{stats['deep'][0]:.1f} ms",
         f"one upsert of {stats['deep'][1]:,} rows (the buyer and its ancestors)"),
        (f"team statistics, buyer with {SUBTREE_SIZE - 1:,} below", f"{stats['big_team'][0]:.1f} ms",
         f"one upsert of {stats['big_team'][1]:,} rows: the downline is never read"),
    ]
    print()
    print("=" * 110)
    print("Summary (figures, not assertions)")
    for label, figure, goal in rows:
        print(f"  {label:<48}{figure:>10}   {goal}")
    print(f"  total run time {perf_counter() - started:.0f} s (database install not included)")
    print("=" * 110)


if __name__ == "__main__":
    main()
