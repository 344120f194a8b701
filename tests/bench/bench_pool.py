"""Benchmark of the profit pool: prints figures beside their goals, asserts nothing about timings.

Run it through ``bash scripts/bench.sh``, which installs points_pool without demo
data in a fresh throwaway database and passes Odoo's options (config file,
addons path, database) on the command line. The script commits freely in that
database. It measures:

1. the engine: contributions per second of :class:`points_engine.Economy` with
   1,000,000 members in memory;
2. Odoo: ``pool.contribute`` calls per second with accounting on (each posts a
   journal entry) against plain Odoo posting the same two-line entries, which is
   what the accounting of a contribution costs without the suite;
3. the exit lookup: the indexed query the pool's sequencer pages forced-exit candidates with, against
   a full scan computing the same answer, with 100,000 wallets in the database.

The few checks it makes (every contribution posted, both lookups agree) only
guard the meaning of the figures.
"""

import gc
import random
import sys
from decimal import Decimal
from time import perf_counter

import odoo
from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tools import SQL, config

SEED = 20240518

ENGINE_MEMBERS = 1_000_000
ENGINE_CONTRIBUTIONS = 50_000
ENGINE_GOAL = 5_000  # contributions per second

ODOO_CALLS = 2_000
ODOO_PARTNERS = 200
# Ours and plain Odoo alternate in blocks of this many calls, so that table
# growth and the state of the caches weigh the same on both.
ODOO_BLOCK = 100
# Untimed calls of each kind first, so one-off cache fills and compilations do not count.
ODOO_WARMUP = 10

LOOKUP_WALLETS = 100_000
# Enough runs of each query for about half a second of the indexed one and three of the scan.
LOOKUP_INDEXED_REPEATS = 4_000
LOOKUP_SCAN_REPEATS = 200
LOOKUP_GOAL = 50  # times faster than the full scan

SPEND, CONTRIBUTION = 1000, 300

# The forced-exit frontier as the sequencer reads it (first page): the due wallets with the lowest exit prices.
DUE_EXITS_QUERY = """SELECT id FROM points_wallet
                      WHERE pool_id = %s AND exit_price IS NOT NULL AND exit_price <= %s
                      ORDER BY exit_price, id LIMIT 20"""


def bench_engine():
    """Contributions per second of the in-memory economy once it holds 1,000,000 members.

    The members are built through ``Economy.contribute`` too, so the economy is in
    the state a real run reaches (exit-price heap filled, early members already
    forced out); only the further contributions by random members are timed.
    Every contribution carries its own order as source, as in the product, so the
    idempotency bookkeeping is part of what is measured.
    """
    # Importable as an Odoo addon only once the configuration (addons path) is parsed.
    from odoo.addons.points_engine import Economy, PoolParams

    spend, contribution = Decimal(SPEND), Decimal(CONTRIBUTION)
    economy = Economy(PoolParams(exit_multiple=Decimal("3.0")))
    started = perf_counter()
    for member in range(ENGINE_MEMBERS):
        economy.contribute(member, spend, contribution, source=member)
    built = perf_counter() - started
    print(f"  setup: {ENGINE_MEMBERS:,} members built in {built:.1f} s, price {economy.pool.display_price}, "
          f"{len(economy.exit_log):,} forced exits so far")

    rng = random.Random(SEED)
    members = [rng.randrange(ENGINE_MEMBERS) for _ in range(ENGINE_CONTRIBUTIONS)]
    exits_before = len(economy.exit_log)
    started = perf_counter()
    for order, member in enumerate(members, start=ENGINE_MEMBERS):
        economy.contribute(member, spend, contribution, source=order)
    elapsed = perf_counter() - started
    rate = ENGINE_CONTRIBUTIONS / elapsed
    print(f"  engine: {rate:,.0f} contributions/s ({ENGINE_CONTRIBUTIONS:,} by random members of "
          f"{ENGINE_MEMBERS:,}, exit multiple 3.0, {len(economy.exit_log) - exits_before} forced exits "
          f"settled with them)   goal >= {ENGINE_GOAL:,}/s")
    return rate


def in_transaction(registry, work):
    """Runs ``work(env)`` in its own committed transaction, as one RPC call would."""
    with registry.cursor() as cr:
        return work(api.Environment(cr, SUPERUSER_ID, {}))


def ours_and_plain_registries(argv):
    """Parses Odoo's options plus ``--plain-db``: the registries of our database and of plain Odoo's."""
    import argparse

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--plain-db", required=True)
    known, odoo_args = parser.parse_known_args(argv)
    config.parse_config(odoo_args, setup_logging=True)
    return odoo.modules.registry.Registry(config["db_name"]), odoo.modules.registry.Registry(known.plain_db)


def parse_order_args(argv, orders, smoke_orders):
    """``--orders N`` (timed orders per variant) or ``--smoke`` (tiny sizes: checks that the benchmark
    still runs); returns the number of orders and the rest, for ``ours_and_plain_registries``."""
    import argparse

    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--orders", type=int, default=orders)
    parser.add_argument("--smoke", action="store_true")
    known, rest = parser.parse_known_args(argv)
    if known.orders <= 0:
        parser.error("--orders must be positive")
    return (smoke_orders if known.smoke else known.orders), rest


def prepare_odoo(env):
    """Members, source documents and the pool's accounting for the Odoo benchmark.

    Sources are cheap partner tags: each contribution needs its own, since the
    pool processes a source only once.
    """
    pool = env["points.pool"]._get_for_company(env.ref("base.main_company"))
    if not pool.journal_id:
        print("  note: the pool had no journal after the install (loading the chart of accounts after "
              "points_pool's post-init hook deleted it); recreated with pool._ensure_accounting()")
        pool._ensure_accounting()
    partners = env["res.partner"].create([{"name": f"Bench member {n}"} for n in range(ODOO_PARTNERS)])
    warmup_partner = env["res.partner"].create({"name": "Bench warm-up member"})
    sources = env["res.partner.category"].create(
        [{"name": f"Bench order {n}"} for n in range(ODOO_WARMUP + ODOO_CALLS)])
    calls = [(partners[n % ODOO_PARTNERS].id, source.id) for n, source in enumerate(sources[ODOO_WARMUP:])]
    warmup = [(warmup_partner.id, source.id) for source in sources[:ODOO_WARMUP]]
    return pool.id, warmup, calls


def contribute(pool_id):
    """The suite: one contribution, which records its ledger row and posts its journal entry."""
    def work(env, partner_id, source_id):
        env["points.pool"].browse(pool_id).contribute(
            env["res.partner"].browse(partner_id), SPEND, CONTRIBUTION,
            source=env["res.partner.category"].browse(source_id))
    return work


def post_plain_entry(pool_id):
    """Plain Odoo: the entry of a contribution (Dr contributions / Cr pool liability), created and posted."""
    def work(env, partner_id, source_id):
        pool = env["points.pool"].browse(pool_id)
        label = f"Plain entry {source_id}"
        move = env["account.move"].create({
            "move_type": "entry",
            "journal_id": pool.journal_id.id,
            "date": fields.Date.context_today(pool),
            "ref": label,
            "line_ids": [
                Command.create({"name": label, "account_id": pool.contribution_account_id.id,
                                "partner_id": partner_id, "debit": CONTRIBUTION}),
                Command.create({"name": label, "account_id": pool.pool_account_id.id,
                                "partner_id": partner_id, "credit": CONTRIBUTION}),
            ],
        })
        move._post(soft=False)
    return work


def run_calls(registry, work, calls):
    """Seconds to run ``work`` once per call, each call in its own committed transaction."""
    started = perf_counter()
    for partner_id, source_id in calls:
        in_transaction(registry, lambda env: work(env, partner_id, source_id))
    return perf_counter() - started


def bench_odoo(registry):
    """``pool.contribute`` with accounting on against plain Odoo posting the same entries."""
    pool_id, warmup, calls = in_transaction(registry, prepare_odoo)
    ours, plain = contribute(pool_id), post_plain_entry(pool_id)
    run_calls(registry, ours, warmup)
    run_calls(registry, plain, warmup)
    ours_seconds = plain_seconds = 0.0
    for start in range(0, len(calls), ODOO_BLOCK):
        block = calls[start:start + ODOO_BLOCK]
        ours_seconds += run_calls(registry, ours, block)
        plain_seconds += run_calls(registry, plain, block)

    def posted_counts(env):
        rows = env["points.ledger"].search([("pool_id", "=", pool_id), ("source_model", "=", "res.partner.category")])
        exits = env["points.ledger"].search_count([("pool_id", "=", pool_id), ("event", "=", "exit")])
        return len(rows), len(rows.move_id.filtered(lambda move: move.state == "posted")), exits

    rows, posted, exits = in_transaction(registry, posted_counts)
    if rows != posted or rows != len(warmup) + len(calls):
        raise RuntimeError(f"{rows} contributions recorded, {posted} posted: the Odoo figures mean nothing")
    ours_rate, plain_rate = len(calls) / ours_seconds, len(calls) / plain_seconds
    ratio = ours_seconds / plain_seconds
    print(f"  odoo: pool.contribute {ours_rate:,.1f} calls/s ({1000 / ours_rate:.1f} ms/call; {len(calls):,} calls "
          f"by {ODOO_PARTNERS} members, each posting its entry; {exits} forced exits posted with them)   no goal set")
    print(f"  odoo: plain account.move {plain_rate:,.1f} entries/s ({1000 / plain_rate:.1f} ms/entry; {len(calls):,} "
          f"two-line entries created and posted in the same journal)   baseline")
    print(f"  odoo: cost ratio ours/plain {ratio:.2f}x (time per contribution / time per plain entry)   no goal set")
    return pool_id, ours_rate, plain_rate, ratio


def fill_wallets(env, pool_id):
    """Adds 100,000 members with wallets in one SQL statement and returns the price the lookup uses.

    Exit prices are spread from half to ten times the current price, so about 5%
    of the wallets are due and the LIMIT applies, as in the first step of a cascade.
    Only the lookup reads these wallets: the pool's totals are left as they were,
    so the database serves no further events afterwards.
    """
    # Importable as an Odoo addon only once the configuration (addons path) is parsed.
    from odoo.addons.points_engine.rounding import price_ceiling

    pool = env["points.pool"].browse(pool_id)
    # The bound of the frontier: the current price rounded up to the stored precision.
    threshold = price_ceiling(pool._engine().price)
    env.cr.execute("SELECT setseed(0.42)")
    env.cr.execute(SQL(
        """WITH partners AS (
               INSERT INTO res_partner (name, complete_name, active, type, autopost_bills,
                                        create_uid, write_uid, create_date, write_date)
               SELECT 'Bench wallet ' || n, 'Bench wallet ' || n, TRUE, 'contact', 'ask',
                      %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                 FROM generate_series(1, %(count)s) n
            RETURNING id
           ), priced AS (
               SELECT id, round((%(price)s * (0.5 + random() * 9.5))::numeric, 6) AS exit_price FROM partners
           )
           INSERT INTO points_wallet (partner_id, pool_id, company_id, state, points, cycle_number, cycle_spend,
                                      lifetime_spend, exit_price, create_uid, write_uid, create_date, write_date)
           SELECT id, %(pool)s, %(company)s, 'active', round(3 * %(spend)s / exit_price, 4), 1, %(spend)s,
                  %(spend)s, exit_price, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
             FROM priced""",
        uid=SUPERUSER_ID, count=LOOKUP_WALLETS, price=threshold, pool=pool.id, company=pool.company_id.id,
        spend=SPEND))
    env.cr.execute("ANALYZE res_partner")
    env.cr.execute("ANALYZE points_wallet")
    return threshold


def full_scan(cr):
    """Makes the planner read every wallet (sequential scan and sort) for the rest of the transaction."""
    for setting in ("enable_indexscan", "enable_indexonlyscan", "enable_bitmapscan"):
        cr.execute(SQL("SET LOCAL %s = off", SQL.identifier(setting)))


def time_lookup(cr, params, repeats):
    """Client-side mean seconds of the due-exit query over ``repeats`` runs, with its plan, answer and server time.

    The client-side time (through Odoo's cursor, as the product runs it) includes
    the round trip to PostgreSQL; the server's own execution time, from one
    EXPLAIN ANALYZE, shows the work of the query alone.
    """
    cr.execute(SQL(DUE_EXITS_QUERY, *params))
    answer = cr.fetchall()
    started = perf_counter()
    for _ in range(repeats):
        cr.execute(SQL(DUE_EXITS_QUERY, *params))
        cr.fetchall()
    seconds = (perf_counter() - started) / repeats
    cr.execute(SQL(f"EXPLAIN ANALYZE {DUE_EXITS_QUERY}", *params))
    lines = [line for (line,) in cr.fetchall()]
    plan = " > ".join(line.strip(" ->").split("  (")[0] for line in lines if "(cost=" in line)
    server_ms = next(float(line.split()[2]) for line in lines if line.startswith("Execution Time:"))
    return seconds, plan, answer, server_ms


def bench_exit_lookup(registry, pool_id):
    """The indexed due-exit query against a full scan of all wallets giving the same answer."""
    threshold = in_transaction(registry, lambda env: fill_wallets(env, pool_id))
    params = (pool_id, threshold)

    def count_wallets(env):
        env.cr.execute(SQL("SELECT count(*), count(*) FILTER (WHERE exit_price <= %s) FROM points_wallet "
                           "WHERE pool_id = %s", threshold, pool_id))
        return env.cr.fetchone()

    def indexed(env):
        return time_lookup(env.cr, params, LOOKUP_INDEXED_REPEATS)

    def scanned(env):
        full_scan(env.cr)
        return time_lookup(env.cr, params, LOOKUP_SCAN_REPEATS)

    wallets, due = in_transaction(registry, count_wallets)
    indexed_seconds, indexed_plan, indexed_answer, indexed_server_ms = in_transaction(registry, indexed)
    scan_seconds, scan_plan, scan_answer, scan_server_ms = in_transaction(registry, scanned)
    if indexed_answer != scan_answer:
        raise RuntimeError("the indexed query and the full scan disagree: the lookup figures mean nothing")
    ratio = scan_seconds / indexed_seconds
    print(f"  setup: {wallets:,} wallets in the pool, {due:,} due at price {threshold}; ANALYZE done")
    print(f"  lookup: indexed {indexed_seconds * 1000:.3f} ms/query (mean of {LOOKUP_INDEXED_REPEATS:,}; "
          f"server {indexed_server_ms:.3f} ms)   [{indexed_plan}]")
    print(f"  lookup: full scan {scan_seconds * 1000:.3f} ms/query (mean of {LOOKUP_SCAN_REPEATS:,}; "
          f"server {scan_server_ms:.3f} ms)   [{scan_plan}]")
    print(f"  lookup: ratio scan/indexed {ratio:,.0f}x client-side, same 20 ids "
          f"(server-side {scan_server_ms / indexed_server_ms:,.0f}x)   goal >= {LOOKUP_GOAL}x")
    return ratio, scan_server_ms / indexed_server_ms


def use_smoke_sizes(argv):
    """``--smoke``: tiny sizes, so that the test script checks every part still runs."""
    if "--smoke" not in argv:
        return argv
    global ENGINE_MEMBERS, ENGINE_CONTRIBUTIONS, ODOO_CALLS, ODOO_PARTNERS, ODOO_BLOCK, ODOO_WARMUP, LOOKUP_WALLETS, LOOKUP_INDEXED_REPEATS, LOOKUP_SCAN_REPEATS
    ENGINE_MEMBERS = 2_000
    ENGINE_CONTRIBUTIONS = 500
    ODOO_CALLS = 20
    ODOO_PARTNERS = 5
    ODOO_BLOCK = 10
    ODOO_WARMUP = 2
    LOOKUP_WALLETS = 2_000
    LOOKUP_INDEXED_REPEATS = 20
    LOOKUP_SCAN_REPEATS = 5
    return [arg for arg in argv if arg != "--smoke"]


def main():
    config.parse_config(use_smoke_sizes(sys.argv[1:]), setup_logging=True)
    database = config["db_name"]
    started = perf_counter()
    print(f"Points benchmark on database {database}")

    print(f"[1/3] engine: {ENGINE_MEMBERS:,} wallets in memory")
    engine_rate = bench_engine()
    gc.collect()  # frees the million members before Odoo starts

    print(f"[2/3] odoo: {ODOO_CALLS:,} contributions with accounting on, against plain Odoo")
    registry = odoo.modules.registry.Registry(database)
    pool_id, ours_rate, plain_rate, odoo_ratio = bench_odoo(registry)

    print(f"[3/3] exit lookup: {LOOKUP_WALLETS:,} more wallets in the database")
    lookup_ratio, lookup_server_ratio = bench_exit_lookup(registry, pool_id)

    def verdict(met):
        return "met" if met else "NOT MET"

    rows = [
        (f"engine contributions/s, {ENGINE_MEMBERS:,} wallets", f"{engine_rate:,.0f}/s",
         f"goal >= {ENGINE_GOAL:,}/s: {verdict(engine_rate >= ENGINE_GOAL)}"),
        ("odoo pool.contribute/s, accounting on", f"{ours_rate:,.1f}/s",
         f"no goal set; plain Odoo {plain_rate:,.1f} entries/s, ours/plain {odoo_ratio:.2f}x"),
        (f"exit lookup scan/indexed, {LOOKUP_WALLETS:,} wallets", f"{lookup_ratio:,.0f}x",
         f"goal >= {LOOKUP_GOAL}x: {verdict(lookup_ratio >= LOOKUP_GOAL)}; server-side {lookup_server_ratio:,.0f}x"),
    ]
    print()
    print("=" * 100)
    print("Summary (figures, not assertions)")
    for label, figure, goal in rows:
        print(f"  {label:<44}{figure:>12}   {goal}")
    print(f"  total run time {perf_counter() - started:.0f} s (database install not included)")
    print("=" * 100)


if __name__ == "__main__":
    main()
