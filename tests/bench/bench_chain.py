"""Benchmark of the chain reward 2+1 (points_chain): prints figures beside their goals, asserts nothing about
timings.

Run it on a throwaway database where points_chain is installed without demo data (the script commits there)::

    source scripts/common.sh
    createdb chain_bench && odoo_cmd -d chain_bench -i points_chain --without-demo=all --stop-after-init
    $PY tests/bench/bench_chain.py -c odoo.conf --addons-path="$(odoo_addons_path)" -d chain_bench [--smoke]

It measures:

1. a package order paid by a member 10,000 levels below their team boss: identities, rewards computed and
   recorded (reward rows, freeze requests to the pool), task check; each in its own committed transaction;
2. the periodic re-assignment job over 100,000 agents (every earner has a dead line to replace).

Members and the referral tree are inserted with bulk SQL (see bench_referral.py); the chain rows only where the
rules need them (sparse: the buyer, its referrer, the team boss), as the module itself keeps them.
"""

import statistics
import sys
from datetime import datetime, timedelta
from time import perf_counter

import odoo
from odoo.fields import Command
from odoo.tools import SQL, config

from bench_pool import in_transaction  # noqa: E402
from bench_referral import insert_members, link_chain, link_tree  # noqa: E402

DEPTH = 10_000
AGENTS = 100_000
RUNS = 20
ORDER_GOAL_MS = 50
REASSIGN_GOAL_S = 60


def member_rows(env, program, rows):
    """Inserts chain rows [(partner, identity, team boss, source, slots, lines)]."""
    for partner, identity, boss, source, slots, lines in rows:
        env.cr.execute(SQL(
            """INSERT INTO points_chain_member (program_id, company_id, partner_id, identity, team_boss_id,
                                                team_source, slots, released, create_uid, write_uid,
                                                create_date, write_date)
               VALUES (%s, %s, %s, %s, %s, %s, %s, false, 1, 1, now(), now()) RETURNING id""",
            program.id, program.company_id.id, partner, identity, boss, source, slots))
        member_id = env.cr.fetchone()[0]
        for line in lines:
            env.cr.execute(SQL("INSERT INTO points_chain_member_line_rel (member_id, partner_id) VALUES (%s, %s)",
                               member_id, line))


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
    times = []
    for run in range(RUNS + 2):
        def work(env):
            program = env["points.chain.program"].browse(program_id)
            source = env["res.partner"].create({"name": f"source {mode} {run}"})  # any record stands for the line
            env.flush_all()
            started = perf_counter()
            rewards = env["points.chain.member"]._package_paid(program, source, env["res.partner"].browse(buyer_id),
                                                              330)
            env.flush_all()
            return perf_counter() - started, len(rewards)

        elapsed, count = in_transaction(registry, work)
        if run >= 2:
            times.append(elapsed)
    print(f"package order {DEPTH} levels below the team boss ({count} reward rows, {mode} journal): median "
          f"{statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms (goal ≤ {ORDER_GOAL_MS} ms)")


def bench_reassign(registry):
    def setup(env):
        program = setup_program(env)
        ids = insert_members(env, AGENTS, "Agent bench ")
        top = insert_members(env, 1, "Top bench ")
        link_tree(env, ids, top, 3)
        rows, orders = [], []
        for index, partner in enumerate(ids):
            kids = ids[3 * index + 1:3 * index + 4]
            if len(kids) == 3:
                rows.append((partner, "boss", None, "none", 3, kids[:2]))
                orders.append(kids[2])          # only the third line buys in the period: both lines are dead
            else:
                rows.append((partner, "agent", None, "none", 0, []))
        member_rows(env, program, rows)
        env.cr.execute(SQL(
            """INSERT INTO points_chain_order (program_id, company_id, partner_id, source_model, source_id, date,
                                               reversed, create_uid, write_uid, create_date, write_date)
               SELECT %s, %s, p, 'res.partner', p, %s, false, 1, 1, now(), now() FROM unnest(%s::int4[]) AS p""",
            program.id, program.company_id.id, datetime(2026, 3, 10), orders))
        return program.id, len(rows)

    program_id, agents = in_transaction(registry, setup)

    def work(env):
        program = env["points.chain.program"].browse(program_id)
        started = perf_counter()
        changes = program._reassign_dead_lines(datetime(2026, 3, 9), datetime(2026, 3, 16))
        env.flush_all()
        return perf_counter() - started, len(changes)

    elapsed, changes = in_transaction(registry, work)
    print(f"re-assignment job over {agents} agents ({changes} lines replaced): {elapsed:.1f} s "
          f"(goal ≤ {REASSIGN_GOAL_S} s)")


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
