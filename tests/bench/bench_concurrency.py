"""Benchmark of one pool under concurrent callers: prints figures beside their goals, asserts nothing about timings.

Run it through ``bash scripts/bench.sh concurrency``, which installs points_pool
without demo data in a fresh throwaway database (and plain ``account`` in another)
and passes Odoo's options on the command line. Every caller runs its calls one by
one, each in its own transaction through Odoo's RPC retry loop
(``odoo.service.model.retrying``: 5 tries with random back-off), as concurrent RPC
calls do. It measures, for 1, 4, 8 and 16 callers:

(a) ``pool.contribute`` with real-time accounting: calls per second, failed calls,
    serialization retries, p50 / p95 latency, and how long the queue took to empty;
(b) plain Odoo creating and posting the same two-line entries, same callers;
(c) POS orders synced by parallel sessions (``pos.order.sync_from_ui``, earning and partly paid with
    points) against plain ``point_of_sale`` (with ``--pos-db`` / ``--pos-plain-db``);
(d) sales orders confirmed, invoiced and paid by parallel users against plain ``sale`` (with
    ``--sale-db`` / ``--sale-plain-db``), each payment contributing to the pool;

then the sequencer alone: 100,000 queued contributions applied with 1,000,000
wallets in the database, batch accounting, events per second and the pool lock
hold time per drain. ``--smoke`` runs every part with tiny sizes (the test script
runs it so that the benchmark cannot rot).
"""

import argparse
import random
import statistics
import threading
import uuid
from time import perf_counter

import psycopg2.errorcodes
from psycopg2 import OperationalError

import odoo
from odoo import SUPERUSER_ID, Command, api, fields
from odoo.service.model import retrying
from odoo.tools import SQL, config

SEED = 20261201
CALLERS = (1, 4, 8, 16)
SPEND, CONTRIBUTION = 1000, 300
CONCURRENCY_ERRORS = {psycopg2.errorcodes.SERIALIZATION_FAILURE, psycopg2.errorcodes.LOCK_NOT_AVAILABLE,
                      psycopg2.errorcodes.DEADLOCK_DETECTED}
GOALS = "goals at 8 and 16 callers: 0 failures, ours >= 0.8x plain throughput, p95 <= 2x our 1-caller p95"


class Run:
    """Calls made by concurrent callers, each in its own transaction through Odoo's retry loop."""

    def __init__(self, registry):
        self.registry = registry
        self.latencies, self.failures, self.retries = [], 0, 0
        self.lock = threading.Lock()

    def call(self, work):
        started = perf_counter()
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})

                def attempt():
                    try:
                        return work(env)
                    except OperationalError as error:
                        if error.pgcode in CONCURRENCY_ERRORS:
                            with self.lock:
                                self.retries += 1
                        raise

                retrying(attempt, env)
        except Exception:  # noqa: BLE001 (a failed call is a figure of the benchmark)
            with self.lock:
                self.failures += 1
        finally:
            with self.lock:
                self.latencies.append(perf_counter() - started)

    def run(self, callers, calls_per_caller, make_work):
        threads = [threading.Thread(target=lambda n=n: [self.call(make_work(n, i)) for i in range(calls_per_caller)])
                   for n in range(callers)]
        started = perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return perf_counter() - started


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def in_transaction(registry, work):
    with registry.cursor() as cr:
        return work(api.Environment(cr, SUPERUSER_ID, {}))


def new_pool(registry, members, accounting_mode="realtime"):
    def create(env):
        company = env["res.company"].create({"name": f"Bench {uuid.uuid4().hex[:8]}"})
        pool = env["points.pool"]._get_for_company(company)
        pool.accounting_mode = accounting_mode
        partners = env["res.partner"].create([{"name": f"Bench member {n}"} for n in range(members)])
        return pool.id, partners.ids
    return in_transaction(registry, create)


def bench_contribute(registry, callers, calls_per_caller):
    pool_id, member_ids = new_pool(registry, callers * 4)
    run = Run(registry)

    def make_work(caller, index):
        member_id = member_ids[(caller * 4 + index) % len(member_ids)]
        return lambda env: env["points.pool"].browse(pool_id).contribute(
            env["res.partner"].browse(member_id), SPEND, CONTRIBUTION)

    seconds = run.run(callers, calls_per_caller, make_work)
    started = perf_counter()
    Pool = type(in_transaction(registry, lambda env: env["points.pool"]))
    while not Pool._drain(registry.db_name, pool_id, passes=50):
        pass
    queue_seconds = seconds + perf_counter() - started

    def check(env):
        pool = env["points.pool"].browse(pool_id)
        applied = env["points.pool.request"].search_count([("pool_id", "=", pool_id), ("state", "=", "applied")])
        return applied, pool._integrity_breaches()

    applied, breaches = in_transaction(registry, check)
    return run, seconds, queue_seconds, applied, breaches


def bench_plain(registry, pool_id, callers, calls_per_caller):
    """Plain Odoo: the entry of a contribution (Dr contributions / Cr pool liability), created and posted."""
    run = Run(registry)

    def make_work(caller, index):
        def work(env):
            pool = env["points.pool"].browse(pool_id)
            label = f"Plain entry {caller}/{index}"
            move = env["account.move"].create({
                "move_type": "entry", "journal_id": pool.journal_id.id, "date": fields.Date.context_today(pool),
                "ref": label,
                "line_ids": [
                    Command.create({"name": label, "account_id": pool.contribution_account_id.id,
                                    "debit": CONTRIBUTION}),
                    Command.create({"name": label, "account_id": pool.pool_account_id.id, "credit": CONTRIBUTION}),
                ],
            })
            move._post(soft=False)
        return work

    seconds = run.run(callers, calls_per_caller, make_work)
    return run, seconds


def bench_callers(registry, calls_per_caller):
    print(f"  (a) pool.contribute vs (b) plain Odoo posting the same entries; {calls_per_caller} calls per caller, "
          f"each its own transaction through odoo.service.model.retrying; real-time accounting")
    print(f"  {'callers':>7} | {'ours calls/s':>12} {'failed':>6} {'retries':>7} {'p50 s':>6} {'p95 s':>6} "
          f"{'queue empty/s':>13} | {'plain/s':>8} {'failed':>6} {'retries':>7} {'p95 s':>6} | {'ours/plain':>10}")
    plain_pool = None
    single_p95 = None
    for callers in CALLERS:
        ours, seconds, queue_seconds, applied, breaches = bench_contribute(registry, callers, calls_per_caller)
        if plain_pool is None:
            plain_pool = new_pool(registry, 1)[0]
        plain, plain_seconds = bench_plain(registry, plain_pool, callers, calls_per_caller)
        calls = callers * calls_per_caller
        ours_rate, plain_rate = calls / seconds, calls / plain_seconds
        p95 = percentile(ours.latencies, 0.95)
        single_p95 = single_p95 or p95
        print(f"  {callers:>7} | {ours_rate:>12.1f} {ours.failures:>6} {ours.retries:>7} "
              f"{statistics.median(ours.latencies):>6.3f} {p95:>6.3f} {applied / queue_seconds:>13.1f} | "
              f"{plain_rate:>8.1f} {plain.failures:>6} {plain.retries:>7} {percentile(plain.latencies, 0.95):>6.3f} | "
              f"{ours_rate / plain_rate:>9.2f}x   p95 = {p95 / single_p95:.2f}x 1-caller p95")
        if applied != calls or breaches:
            print(f"  !! {applied} of {calls} requests applied, integrity breaches: {breaches}")
    print(f"  {GOALS}")


def drain_company_pool(registry):
    """Waits for the main company's pool to apply every pending request; returns (applied, refused, breaches)."""
    def pool_id(env):
        return env["points.pool"]._get_for_company(env.ref("base.main_company")).id
    pool_id = in_transaction(registry, pool_id)
    Pool = type(in_transaction(registry, lambda env: env["points.pool"]))
    while not Pool._drain(registry.db_name, pool_id, passes=50):
        pass

    def figures(env):
        Request = env["points.pool.request"]
        return (Request.search_count([("pool_id", "=", pool_id), ("state", "=", "applied")]),
                Request.search_count([("pool_id", "=", pool_id), ("state", "=", "refused")]),
                env["points.pool"].browse(pool_id)._integrity_breaches())
    return in_transaction(registry, figures)


def bench_channel(title, ours, plain, prepare, make_call, calls_total):
    """``calls_total`` calls of a channel shared by 1/4/8/16 parallel users, ours against plain Odoo."""
    print(f"  {title}: {calls_total} per run, each its own transaction through odoo.service.model.retrying")
    print(f"  {'callers':>7} | {'ours/s':>7} {'failed':>6} {'retries':>7} {'p50 s':>6} {'p95 s':>6} | "
          f"{'plain/s':>7} {'failed':>6} {'retries':>7} {'p95 s':>6} | {'ours/plain':>10}")
    setups = {"ours": in_transaction(ours, prepare), "plain": in_transaction(plain, prepare)}
    single_p95 = None
    for callers in CALLERS:
        per_caller = max(calls_total // callers, 1)
        figures = {}
        for name, registry in (("ours", ours), ("plain", plain)):
            run = Run(registry)
            seconds = run.run(callers, per_caller, lambda n, i, setup=setups[name], callers=callers:
                              make_call(setup, n, i, callers))
            figures[name] = (run, callers * per_caller / seconds)
        (ours_run, ours_rate), (plain_run, plain_rate) = figures["ours"], figures["plain"]
        p95 = percentile(ours_run.latencies, 0.95)
        single_p95 = single_p95 or p95
        print(f"  {callers:>7} | {ours_rate:>7.1f} {ours_run.failures:>6} {ours_run.retries:>7} "
              f"{statistics.median(ours_run.latencies):>6.3f} {p95:>6.3f} | {plain_rate:>7.1f} {plain_run.failures:>6} "
              f"{plain_run.retries:>7} {percentile(plain_run.latencies, 0.95):>6.3f} | {ours_rate / plain_rate:>9.2f}x"
              f"   p95 = {p95 / single_p95:.2f}x 1-caller p95")
    applied, refused, breaches = drain_company_pool(ours)
    print(f"  ours: {applied} pool requests applied, {refused} refused, integrity breaches: {breaches or 'none'}")
    print(f"  {GOALS}")


def prepare_pos(env, shops=max(CALLERS)):
    """One shop (POS config) with an open session per parallel caller, customers who hold points (ours)."""
    from bench_pos import CUSTOMERS, PRICE, prepare  # a sibling script

    first = prepare(env)
    product_id, partner_ids = first["product_id"], first["partner_ids"][:CUSTOMERS]
    setups = [first]
    template = env["pos.session"].browse(first["session_id"]).config_id
    for number in range(1, shops):
        config = env["pos.config"].search([("name", "=", f"Bench till {number}")], limit=1)
        if not config:
            # A cash method (and its journal) belongs to one shop; the Points method is shared.
            journal = env["account.journal"].create(
                {"name": f"Bench till {number} cash", "code": f"BT{number:02d}", "type": "cash"})
            cash = env["pos.payment.method"].create(
                {"name": f"Cash {number}", "journal_id": journal.id, "is_cash_count": True})
            others = template.payment_method_ids.filtered(lambda method: not method.is_cash_count)
            config = env["pos.config"].create(
                {"name": f"Bench till {number}", "payment_method_ids": [(6, 0, (cash | others).ids)]})
        session = config.current_session_id or env["pos.session"].create(
            {"config_id": config.id, "user_id": env.ref("base.user_admin").id})
        if session.state == "opening_control":
            session.set_opening_control(0, None)
        setups.append(dict(first, session_id=session.id, pricelist_id=config.pricelist_id.id,
                           cash_id=config.payment_method_ids.filtered("is_cash_count")[:1].id,
                           sequence=max(session.order_ids.mapped("sequence_number") or [0])))
    if "points.pool" in env:
        pool = env["points.pool"]._get_for_company(env.company)
        for partner in env["res.partner"].browse(partner_ids):
            pool.contribute(partner, PRICE * 10, PRICE * 3)
        pool._apply_pending()
    return {"setups": setups, "product_id": product_id, "partner_ids": partner_ids, "price": PRICE}


def bench_pos_sync(ours, plain, calls_total):
    from bench_pos import order_payload  # a sibling script

    def make_call(setup, caller, index, callers):
        shop = setup["setups"][caller]
        partner_id = setup["partner_ids"][(caller * 7 + index) % len(setup["partner_ids"])]
        # Every other order of ours is paid 10% with points.
        points_paid = setup["price"] / 10 if shop["points_id"] and index % 2 else 0.0

        def work(env):
            shop["sequence"] += 1
            payload = order_payload(shop, shop["sequence"], partner_id, points_paid)
            states = [order["state"] for order in env["pos.order"].sync_from_ui([payload])["pos.order"]]
            if states != ["paid"]:
                raise AssertionError(f"an order ended {states}")
        return work

    bench_channel("(c) POS orders synced by parallel sessions (one shop each), half of ours partly paid with points",
                  ours, plain, prepare_pos, make_call, calls_total)


def bench_sales(ours, plain, calls_total):
    import bench_sale  # a sibling script

    def make_call(setup, caller, index, callers):
        product_id, partner_ids = setup
        partner_id = partner_ids[caller % len(partner_ids)]

        def work(env):
            state = bench_sale.sell_invoice_pay(env, product_id, partner_id)
            if state not in ("paid", "in_payment"):
                raise AssertionError(f"an invoice ended {state}")
        return work

    bench_channel("(d) sales orders confirmed, invoiced and paid by parallel users", ours, plain,
                  bench_sale.prepare, make_call, calls_total)


def bench_sequencer(registry, wallets, contributions, batch_size):
    """The sequencer alone: ``contributions`` queued requests applied with ``wallets`` wallets in the database."""
    pool_id, _members = new_pool(registry, 0, accounting_mode="batch")

    def fill(env):
        company = env["points.pool"].browse(pool_id).company_id
        cr = env.cr
        started = perf_counter()
        cr.execute(SQL(
            """WITH partners AS (
                   INSERT INTO res_partner (name, complete_name, active, type, autopost_bills, create_date,
                                            write_date)
                   SELECT 'Seq member ' || n, 'Seq member ' || n, true, 'contact', 'ask', now(), now()
                     FROM generate_series(1, %(count)s) AS n RETURNING id)
               INSERT INTO points_wallet (partner_id, pool_id, company_id, state, points, cash_balance,
                                          frozen_balance, cycle_number, exit_count, create_date, write_date)
               SELECT id, %(pool)s, %(company)s, 'active', 0, 0, 0, 1, 0, now(), now() FROM partners""",
            count=wallets, pool=pool_id, company=company.id))
        cr.execute(SQL("SELECT id, partner_id FROM points_wallet WHERE pool_id = %s", pool_id))
        all_wallets = cr.fetchall()
        rng = random.Random(SEED)
        chosen = [all_wallets[rng.randrange(len(all_wallets))] for _ in range(contributions)]
        cr.execute(SQL(
            """INSERT INTO points_pool_request (pool_id, company_id, kind, state, wallet_id, partner_id, spend,
                                                contribution, create_date, write_date)
               SELECT %s, %s, 'contribute', 'pending', wallet, partner, %s, %s, now(), now()
                 FROM unnest(%s::int[], %s::int[]) AS data(wallet, partner)""",
            pool_id, company.id, SPEND, CONTRIBUTION, [w for w, _p in chosen], [p for _w, p in chosen]))
        cr.execute(SQL("ANALYZE points_wallet"))
        cr.execute(SQL("ANALYZE points_pool_request"))
        return perf_counter() - started

    filled = in_transaction(registry, fill)
    print(f"  sequencer: {wallets:,} wallets and {contributions:,} queued contributions inserted in {filled:.1f} s; "
          f"batch accounting, drains of up to {batch_size:,} requests")
    holds = []
    started = perf_counter()
    while True:
        with registry.cursor() as cr:
            cr.execute(SQL("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"))
            locked = perf_counter()
            cr.execute(SQL("SELECT id FROM points_pool_state WHERE pool_id = %s FOR UPDATE", pool_id))
            env = api.Environment(cr, SUPERUSER_ID, {})
            rows = env["points.pool.request"]._apply_locked(env["points.pool"].browse(pool_id), limit=batch_size)
            cr.commit()
            holds.append(perf_counter() - locked)
        if not rows:
            holds.pop()
            break
    elapsed = perf_counter() - started

    def check(env):
        pool = env["points.pool"].browse(pool_id)
        applied = env["points.pool.request"].search_count([("pool_id", "=", pool_id), ("state", "=", "applied")])
        env.cr.execute(SQL("SELECT count(*), count(*) FILTER (WHERE event = 'exit') FROM points_ledger"
                           " WHERE pool_id = %s", pool_id))
        return applied, env.cr.fetchone(), pool.price

    applied, (rows, exits), price = in_transaction(registry, check)
    rate = applied / elapsed
    print(f"  sequencer: {rate:,.0f} events/s ({applied:,} contributions applied in {elapsed:.1f} s, {rows:,} ledger "
          f"rows, {exits:,} forced exits, price {price:.6f})   goal >= 5,000/s, aim 20,000/s")
    print(f"  sequencer: pool lock held {statistics.median(holds) * 1000:,.0f} ms per drain (median), "
          f"{max(holds) * 1000:,.0f} ms at most, over {len(holds)} drains")
    if applied != contributions:
        print(f"  !! only {applied} of {contributions} contributions were applied")


def main():
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks that every part still runs")
    parser.add_argument("--sale-db", help="database with points_sale, for (d)")
    parser.add_argument("--sale-plain-db", help="database with plain sale, for (d)")
    parser.add_argument("--pos-db", help="database with points_pos, for (c)")
    parser.add_argument("--pos-plain-db", help="database with plain point_of_sale, for (c)")
    known, odoo_args = parser.parse_known_args()
    config.parse_config(odoo_args, setup_logging=True)
    registry = odoo.modules.registry.Registry(config["db_name"])
    smoke = known.smoke
    bench_callers(registry, calls_per_caller=2 if smoke else 25)
    if known.pos_db and known.pos_plain_db:
        bench_pos_sync(odoo.modules.registry.Registry(known.pos_db),
                       odoo.modules.registry.Registry(known.pos_plain_db), calls_total=16 if smoke else 200)
    if known.sale_db and known.sale_plain_db:
        bench_sales(odoo.modules.registry.Registry(known.sale_db),
                    odoo.modules.registry.Registry(known.sale_plain_db), calls_total=16 if smoke else 200)
    if smoke:
        bench_sequencer(registry, wallets=2_000, contributions=1_000, batch_size=300)
    else:
        bench_sequencer(registry, wallets=1_000_000, contributions=100_000, batch_size=5_000)


if __name__ == "__main__":
    main()
