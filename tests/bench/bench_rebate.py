"""Benchmark of the queued rebate's static release: prints figures beside the goal, asserts nothing about timings.

Run it through ``bash scripts/bench.sh rebate``, which installs points_rebate without demo
data in a fresh throwaway database and passes Odoo's options (config file, addons path,
database) on the command line. The script commits freely in that database. It:

1. fills the queue with 1,000,000 due entries of 50,000 members in SQL (the equivalent of
   1,000,000 paid lines, which through the ORM would take hours) and funds the rebate pool
   with exactly their total through ``pool.rebate_inject`` (so the ledger and the general
   ledger agree before the run);
2. times one static release run in its own committed transaction: ``pool._rebate_release_due()``
   asks the pool's sequencer for it (an exclusive request, run alone under the pool's lock, at
   once since the pool is free) and ``pool._apply_pending()`` makes sure it ran: the running-sum
   selection, one journal entry with one wallet-payable line per member, posted, 50,000 ledger
   rows (one per member), 1,000,000 entries marked released and 50,000 wallets credited;
3. times plain Odoo creating and posting one journal entry of 5,001 lines (a debit and 5,000
   member credits; ``--plain-lines``), rolled back afterwards, and extrapolates linearly to the
   run's 50,001 lines: what the run's accounting would cost through the ORM line by line (the
   run posts its entry through the ORM with two lines and splits the member line in SQL);
4. checks the result in SQL (every entry released once, the rebate pool, the ledger, the
   wallets and the general ledger agree), only to guard the meaning of the figures.

Options: ``--entries N``, ``--members N``, ``--plain-lines N`` (defaults 1,000,000, 50,000, 5,000).
"""

import argparse
import sys
from time import perf_counter

import odoo
from odoo import SUPERUSER_ID, Command, fields
from odoo.tools import SQL, config

from bench_pool import in_transaction  # noqa: E402 (a sibling script: one transaction per call, committed)

ENTRIES = 1_000_000
MEMBERS = 50_000
GOAL_SECONDS = 60
PLAIN_MEMBERS = 5_000


def fill_queue(env, entries, members):
    """Members with wallets and ``entries`` due queue entries, in SQL; the rebate pool funded with their total."""
    pool = env["points.pool"]._get_for_company(env.ref("base.main_company"))
    pool._ensure_accounting()
    cr = env.cr
    cr.execute(SQL(
        """WITH partners AS (
               INSERT INTO res_partner (name, complete_name, active, type, autopost_bills,
                                        create_uid, write_uid, create_date, write_date)
               SELECT 'Rebate member ' || n, 'Rebate member ' || n, TRUE, 'contact', 'ask',
                      %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                 FROM generate_series(1, %(members)s) n
            RETURNING id
           )
           INSERT INTO points_wallet (partner_id, pool_id, company_id, state, points, cash_balance, debt,
                                      cycle_number, cycle_spend, lifetime_spend,
                                      create_uid, write_uid, create_date, write_date)
           SELECT id, %(pool)s, %(company)s, 'active', 0, 0, 0, 1, 0, 0,
                  %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
             FROM partners""",
        uid=SUPERUSER_ID, members=members, pool=pool.id, company=pool.company_id.id))
    # Entries paid one second apart from 1 Jan 2025 (all due long ago), spread over the members round-robin,
    # of 100.00 to 149.00; every 1,000th entry shares its payment time with the one before (ties).
    cr.execute(SQL(
        """WITH wallets AS (
               SELECT id, partner_id, row_number() OVER (ORDER BY id) - 1 AS slot
                 FROM points_wallet WHERE pool_id = %(pool)s
           )
           INSERT INTO points_rebate_entry (
               pool_id, company_id, partner_id, wallet_id, source_model, source_id, order_label, line_amount,
               amount, released_amount, cancelled_amount, clawed_back_amount, remaining, paid_at, lock_days,
               due_date, state, create_uid, write_uid, create_date, write_date)
           SELECT %(pool)s, %(company)s, wallets.partner_id, wallets.id, 'res.partner.category', n,
                  'Bench order ' || n, 100 + mod(n, 50), 100 + mod(n, 50), 0, 0, 0, 100 + mod(n, 50),
                  paid_at, 15, (paid_at::date + 14), 'queued', %(uid)s, %(uid)s, paid_at, paid_at
             FROM generate_series(1, %(entries)s) n
             JOIN wallets ON wallets.slot = mod(n, %(members)s)
             CROSS JOIN LATERAL (SELECT TIMESTAMP '2025-01-01 00:00:00'
                                        + (n - (mod(n, 1000) = 0)::int) * INTERVAL '1 second' AS paid_at) paid""",
        pool=pool.id, company=pool.company_id.id, uid=SUPERUSER_ID, entries=entries, members=members))
    cr.execute(SQL("SELECT sum(remaining), count(*) FROM points_rebate_entry WHERE pool_id = %s AND state = 'queued'",
                   pool.id))
    total, count = cr.fetchone()
    env.invalidate_all()
    pool.rebate_inject(float(total), "Benchmark funding", account=pool.injection_account_id)
    cr.execute("ANALYZE points_rebate_entry")
    cr.execute("ANALYZE points_wallet")
    cr.execute("ANALYZE points_ledger")
    return pool.id, float(total), count


def release(pool_id):
    def work(env):
        pool = env["points.pool"].browse(pool_id)
        request = pool._rebate_release_due()
        pool._apply_pending()
        if request.state != "applied":
            raise RuntimeError(f"the pool refused the release run: {request.refusal_reason}")
        return request.rebate_release_count
    return work


def plain_entry(registry, pool_id, members):
    """Plain Odoo: one entry with the run's lines (rebate pool debit, one wallet credit per member), rolled back."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, SUPERUSER_ID, {})
        pool = env["points.pool"].browse(pool_id)
        cr.execute(SQL("SELECT partner_id FROM points_wallet WHERE pool_id = %s ORDER BY partner_id LIMIT %s",
                       pool_id, members))
        partners = [row[0] for row in cr.fetchall()]
        started = perf_counter()
        move = env["account.move"].create({
            "move_type": "entry", "journal_id": pool.journal_id.id, "date": fields.Date.context_today(pool),
            "ref": "Plain entry",
            "line_ids": [Command.create({"name": "Plain", "account_id": pool.rebate_account_id.id,
                                         "debit": 100.0 * len(partners)})]
            + [Command.create({"name": "Plain", "account_id": pool.wallet_account_id.id, "partner_id": partner,
                               "credit": 100.0}) for partner in partners],
        })
        move._post(soft=False)
        env.flush_all()
        seconds = perf_counter() - started
        cr.rollback()
        return seconds, len(partners) + 1


def check(env, pool_id, total, entries, members):
    """The run's result in SQL: what the figures claim happened did happen, and the books agree."""
    cr = env.cr
    pool = env["points.pool"].browse(pool_id)
    cr.execute(SQL("SELECT count(*) FILTER (WHERE state = 'released' AND remaining = 0 AND released_amount = amount), "
                   "count(*) FROM points_rebate_entry WHERE pool_id = %s", pool_id))
    released, count = cr.fetchone()
    cr.execute(SQL("SELECT count(*), sum(cash_delta), count(DISTINCT move_id), count(DISTINCT key) FROM points_ledger "
                   "WHERE pool_id = %s AND event = 'rebate_release'", pool_id))
    rows, paid, moves, keys = cr.fetchone()
    cr.execute(SQL("SELECT sum(cash_balance) FROM points_wallet WHERE pool_id = %s", pool_id))
    wallets = cr.fetchone()[0]
    cr.execute(SQL(
        """SELECT count(*) FROM points_wallet wallet
             LEFT JOIN (SELECT partner_id, -sum(balance) AS balance FROM account_move_line
                         WHERE account_id = %s AND parent_state = 'posted' GROUP BY partner_id) gl
                    ON gl.partner_id = wallet.partner_id
            WHERE wallet.pool_id = %s
              AND round(wallet.cash_balance::numeric, 2) != round(coalesce(gl.balance, 0), 2)""",
        pool.wallet_account_id.id, pool_id))
    wallet_gl_mismatches = cr.fetchone()[0]
    cr.execute(SQL("SELECT sum(rebate_delta) FROM points_ledger WHERE pool_id = %s", pool_id))
    rebate_in_ledger = cr.fetchone()[0]
    rebate_gl = -pool._account_balance(pool.rebate_account_id)
    problems = []
    if released != entries or count != entries:
        problems.append(f"{released:,} of {entries:,} entries released")
    if rows != members or keys != members or moves != 1:
        problems.append(f"{rows:,} ledger rows, {keys:,} keys, {moves} journal entries for {members:,} members")
    if round(float(paid), 2) != round(total, 2) or round(float(wallets), 2) != round(total, 2):
        problems.append(f"paid {paid}, wallets {wallets}, expected {total}")
    if wallet_gl_mismatches:
        problems.append(f"{wallet_gl_mismatches} wallets differ from the general ledger")
    if round(pool.rebate_balance, 2) != 0 or round(float(rebate_in_ledger), 2) != 0 or round(rebate_gl, 2) != 0:
        problems.append(f"rebate pool {pool.rebate_balance}, ledger {rebate_in_ledger}, general ledger {rebate_gl}")
    if problems:
        raise RuntimeError("the release figures mean nothing: " + "; ".join(problems))
    return moves


def main():
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--entries", type=int, default=ENTRIES)
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--plain-lines", type=int, default=PLAIN_MEMBERS)
    known, odoo_args = parser.parse_known_args(sys.argv[1:])
    config.parse_config(odoo_args, setup_logging=True)
    database = config["db_name"]
    started = perf_counter()
    print(f"Queued rebate benchmark on database {database}")
    registry = odoo.modules.registry.Registry(database)

    print(f"[1/3] setup: {known.entries:,} due entries of {known.members:,} members (SQL), rebate pool funded")
    setup_started = perf_counter()
    pool_id, total, count = in_transaction(registry, lambda env: fill_queue(env, known.entries, known.members))
    print(f"  setup: {count:,} queued entries worth {total:,.2f} in {perf_counter() - setup_started:.1f} s")

    print("[2/3] static release: one run, one transaction")
    run_started = perf_counter()
    released = in_transaction(registry, release(pool_id))
    seconds = perf_counter() - run_started
    in_transaction(registry, lambda env: check(env, pool_id, total, count, known.members))
    rate = released / seconds
    verdict = "met" if seconds <= GOAL_SECONDS else "NOT MET"
    print(f"  release: {released:,} entries in {seconds:.1f} s ({rate:,.0f} entries/s; 1 journal entry with "
          f"{known.members + 1:,} lines)   goal <= {GOAL_SECONDS} s: {verdict}")

    print(f"[3/3] plain Odoo: one journal entry of {known.plain_lines + 1:,} lines, created and posted")
    plain_seconds, lines = plain_entry(registry, pool_id, known.plain_lines)
    run_lines = known.members + 1
    plain_run = plain_seconds * run_lines / lines
    print(f"  plain: account.move with {lines:,} lines in {plain_seconds:.1f} s "
          f"({plain_seconds / lines * 1000:.1f} ms/line)   baseline")
    print(f"  plain: {run_lines:,} lines extrapolated linearly: {plain_run:.0f} s; ours/plain "
          f"{seconds / plain_run:.2f}x for the whole run (which also releases {released:,} entries)")
    print()
    print("=" * 100)
    print("Summary (figures, not assertions)")
    print(f"  {'static release of ' + format(released, ',') + ' due entries':<44}{seconds:>10.1f} s   "
          f"goal <= {GOAL_SECONDS} s: {verdict}; {rate:,.0f} entries/s")
    print(f"  {'plain Odoo entry of ' + format(lines, ',') + ' lines':<44}{plain_seconds:>10.1f} s   "
          f"baseline; {run_lines:,} lines extrapolated {plain_run:.0f} s, whole run / that {seconds / plain_run:.2f}x")
    print(f"  total run time {perf_counter() - started:.0f} s (database install not included)")
    print("=" * 100)


if __name__ == "__main__":
    main()
