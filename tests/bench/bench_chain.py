"""Benchmark of the chain reward 2+1 (points_chain): prints figures beside their goals, asserts nothing about
timings.

Run it on a throwaway database where points_chain is installed without demo data (the script commits there)::

    source scripts/common.sh
    createdb chain_bench && odoo_cmd -d chain_bench -i points_chain --without-demo=all --stop-after-init
    $PY tests/bench/bench_chain.py -c odoo.conf --addons-path="$(odoo_addons_path)" -d chain_bench [--smoke]

It measures:

1. a package order paid by a member 10,000 levels below their team boss: queued by the checkout, then applied
   by the pool's sequencer at once (the pool is free): identities, rewards computed and recorded (reward rows,
   freeze movements applied to the wallets and the ledger), task check; each in its own committed transaction;
2. the periodic re-assignment job over 100,000 agents (33,333 earners with two contributed lines, only their
   third line buying in the period), queued and applied by the sequencer.

Members, the referral tree, the chain rows and the orders are inserted with bulk SQL (see bench_referral.py);
the deep order's chain rows only where the rules need them (sparse: the buyer, its referrer, the team boss), as
the module itself keeps them.
"""

import statistics
import sys
from datetime import datetime
from time import perf_counter

import odoo
from odoo.tools import SQL, config

from bench_pool import in_transaction  # noqa: E402
from bench_referral import insert_members, link_chain, link_tree  # noqa: E402

DEPTH = 10_000
AGENTS = 100_000
RUNS = 20
ORDER_GOAL_MS = 50
REASSIGN_GOAL_S = 60


def member_rows(env, program, rows):
    """Inserts chain rows [(partner, identity, team boss, source, slots, lines)] in two statements."""
    partners, identities, bosses, sources, slots, lines = zip(*rows)
    env.cr.execute(SQL(
        """INSERT INTO points_chain_member (program_id, company_id, partner_id, identity, team_boss_id, team_source,
                                            slots, released, create_uid, write_uid, create_date, write_date)
           SELECT %s, %s, r.partner, r.identity, r.boss, r.source, r.slots, false, 1, 1, now(), now()
             FROM unnest(%s::int4[], %s::varchar[], %s::int4[], %s::varchar[], %s::int4[])
                  AS r(partner, identity, boss, source, slots)
        RETURNING id, partner_id""",
        program.id, program.company_id.id, list(partners), list(identities), list(bosses), list(sources),
        list(slots)))
    member_ids = dict((partner, member) for member, partner in env.cr.fetchall())
    pairs = [(member_ids[partner], line) for partner, *_rest, row_lines in rows for line in row_lines]
    if pairs:
        env.cr.execute(SQL(
            "INSERT INTO points_chain_member_line_rel (member_id, partner_id) SELECT * FROM unnest(%s::int4[], %s::int4[])",
            [pair[0] for pair in pairs], [pair[1] for pair in pairs]))


def setup_program(env):
    company = env.ref("base.main_company")
    pool = env["points.pool"]._get_for_company(company)
    if not pool.journal_id:
        pool._ensure_accounting()
    pool.with_context(points_depth_acknowledged=True).reward_depth_limit = 100
    program = env["points.chain.program"].create({"name": "Bench package", "company_id": company.id,
                                                  "policy": "periodic", "period": "weekly"})
    program.state = "enabled"
    return program


def bench_deep_order(registry):
    def setup(env):
        program = setup_program(env)
        chain = insert_members(env, DEPTH + 2, "Chain bench ")
        link_chain(env, chain, [])
        boss, referrer, buyer = chain[0], chain[-2], chain[-1]
        member_rows(env, program, [(boss, "boss", None, "none", 3, []),
                                   (referrer, "agent", boss, "inherited", 0, []),
                                   (buyer, "agent", boss, "inherited", 0, [])])
        return program.id, buyer

    program_id, buyer_id = in_transaction(registry, setup)
    for mode in ("realtime", "batch"):
        bench_orders(registry, program_id, buyer_id, mode)


def bench_orders(registry, program_id, buyer_id, mode):
    def accounting(env):
        program = env["points.chain.program"].browse(program_id)
        env["points.pool"]._get_for_company(program.company_id).accounting_mode = mode

    in_transaction(registry, accounting)
    totals, queued = [], []
    for run in range(RUNS + 2):
        def work(env):
            program = env["points.chain.program"].browse(program_id)
            pool = env["points.pool"]._get_for_company(program.company_id)
            source = env["res.partner"].create({"name": f"source {mode} {run}"})  # any record stands for the line
            env.flush_all()
            started = perf_counter()
            with pool._applying_together():
                # the checkout's part: the order is queued (insert only)
                env["points.chain.member"]._package_paid(program, source, env["res.partner"].browse(buyer_id), 330)
                env.flush_all()
                middle = perf_counter()
            # the pool is free: the sequencer applies it at once (identities, rewards, freeze movements, tasks)
            env.flush_all()
            ended = perf_counter()
            rewards = env["points.reward"].search_count([("source_model", "=", "res.partner"),
                                                         ("source_id", "=", source.id)])
            return ended - started, middle - started, rewards

        total, queue, count = in_transaction(registry, work)
        if run >= 2:
            totals.append(total)
            queued.append(queue)
    print(f"package order {DEPTH} levels below the team boss ({count} reward rows, {mode} journal): rewards computed "
          f"and recorded in median {statistics.median(totals) * 1000:.1f} ms, max {max(totals) * 1000:.1f} ms "
          f"(goal ≤ {ORDER_GOAL_MS} ms), of which the checkout's queueing {statistics.median(queued) * 1000:.1f} ms")


def bench_reassign(registry):
    def setup(env):
        started = perf_counter()
        program = setup_program(env)
        ids = insert_members(env, AGENTS, "Agent bench ")
        top = insert_members(env, 1, "Top bench ")
        link_tree(env, ids, top, 3)
        rows, orders = [], []
        for index, partner in enumerate(ids):
            kids = ids[3 * index + 1:3 * index + 4]
            if len(kids) == 3:
                rows.append((partner, "boss", None, "none", 3, kids[:2]))
                orders.append(kids[2])          # only the third line buys in the period
            else:
                rows.append((partner, "agent", None, "none", 0, []))
        member_rows(env, program, rows)
        env.cr.execute(SQL(
            """INSERT INTO points_chain_order (program_id, company_id, partner_id, source_model, source_id, date,
                                               reversed, create_uid, write_uid, create_date, write_date)
               SELECT %s, %s, p, 'res.partner', p, %s, false, 1, 1, now(), now() FROM unnest(%s::int4[]) AS p""",
            program.id, program.company_id.id, datetime(2026, 3, 10), orders))
        env.cr.execute(SQL("ANALYZE points_chain_member; ANALYZE points_chain_member_line_rel; "
                           "ANALYZE points_chain_order; ANALYZE points_referral_node; ANALYZE res_partner"))
        return program.id, len(rows), perf_counter() - started

    program_id, agents, setup_time = in_transaction(registry, setup)

    def work(env):
        program = env["points.chain.program"].browse(program_id)
        started = perf_counter()
        # what the scheduled job does: queue the period's re-assignment; the pool is free, so its sequencer
        # applies it at once (set-wise, see points.chain.program._reassign_dead_lines)
        env["points.chain.event"]._queue_program_events(program, "reassign", period_start=datetime(2026, 3, 9),
                                                        date=datetime(2026, 3, 16))
        env.flush_all()
        elapsed = perf_counter() - started
        pending = env["points.chain.event"].search_count([("program_id", "=", program_id)])
        changes = env["points.chain.history"].search_count([("reason", "=", "reassign"),
                                                            ("member_id.program_id", "=", program_id)])
        return elapsed, changes, pending

    elapsed, changes, pending = in_transaction(registry, work)
    assert not pending, "the re-assignment was not applied"
    print(f"re-assignment job over {agents} agents ({changes} lines replaced; data set built in {setup_time:.1f} s): "
          f"{elapsed:.1f} s (goal ≤ {REASSIGN_GOAL_S} s)")


def main(argv):
    global DEPTH, AGENTS, RUNS
    if "--smoke" in argv:
        DEPTH, AGENTS, RUNS = 50, 300, 3
        argv = [arg for arg in argv if arg != "--smoke"]
    config.parse_config(argv, setup_logging=True)
    registry = odoo.modules.registry.Registry(config["db_name"])
    bench_deep_order(registry)
    bench_reassign(registry)


if __name__ == "__main__":
    main(sys.argv[1:])
