"""Benchmark of the legacy member import: prints figures beside the goal, asserts nothing about timings.

Run it through ``bash scripts/bench.sh legacy``, which installs points_legacy without demo data
in a fresh throwaway database and passes Odoo's options (config file, addons path, database) on
the command line. The script commits freely in that database. It:

1. generates a CSV file of 10,000 legacy members (name, phone, email, legacy ID, payable; ``--members``);
2. times the import wizard in one committed transaction, as one click each: the preview (reads the
   file, matches every row against the contacts in a few queries, one bulk creation of the preview
   rows) and the import (bulk creation of the partners, wallets and legacy members, one request to the
   pool's sequencer with one ledger row per member, one journal entry);
3. times plain Odoo's ``base_import`` importing the same partners (name, phone, email) from the same
   file into ``res.partner``, rolled back: the baseline of "just creating the contacts";
4. checks the result in SQL (members, ledger rows, the pool's legacy balance and the general ledger
   agree), only to guard the meaning of the figures.

Options: ``--members N`` (default 10,000), ``--smoke`` (200 members).
"""

import argparse
import base64
import csv
import io
import sys
from time import perf_counter

import odoo
from odoo.tools import SQL, config

from bench_pool import in_transaction  # noqa: E402 (a sibling script: one transaction per call, committed)

MEMBERS = 10_000
SMOKE_MEMBERS = 200
GOAL_SECONDS = 60


def members_file(count):
    """CSV bytes of ``count`` legacy members, each with a phone, an email, a legacy ID and a payable."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "phone", "email", "legacy_id", "amount"])
    for n in range(1, count + 1):
        writer.writerow([f"Legacy member {n}", f"+86 139{n:08d}", f"legacy{n}@example.com", f"OLD-{n}",
                         f"{100 + n % 900}.{n % 100:02d}"])
    return buffer.getvalue().encode()


def run_import(data):
    def work(env):
        company = env.ref("base.main_company")
        pool = env["points.pool"]._get_for_company(company)
        started = perf_counter()
        wizard = env["points.legacy.import.wizard"].with_company(company).create({
            "company_id": company.id, "file": base64.b64encode(data), "filename": "members.csv",
            "counter_account_id": pool.injection_account_id.id,
        })
        wizard.action_preview()
        if wizard.error_count:
            raise RuntimeError(f"the preview found {wizard.error_count} rows with errors")
        env.flush_all()
        preview = perf_counter() - started
        started = perf_counter()
        wizard.action_import()
        env.flush_all()
        return pool.id, wizard.import_ref, preview, perf_counter() - started
    return work


def plain_import(registry, data):
    """Plain Odoo: base_import of the same partners (name, phone, email), timed, then rolled back."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        started = perf_counter()
        importer = env["base_import.import"].create({
            "res_model": "res.partner", "file": data, "file_type": "text/csv", "file_name": "members.csv"})
        result = importer.execute_import(
            ["name", "phone", "email", False, False], ["name", "phone", "email", "legacy_id", "amount"],
            {"quoting": '"', "separator": ",", "has_headers": True, "encoding": "utf-8"})
        env.flush_all()
        seconds = perf_counter() - started
        errors = [message for message in result.get("messages", []) if message.get("type") == "error"]
        cr.rollback()
        if errors:
            raise RuntimeError(f"plain base_import failed: {errors[:3]}")
        return seconds, len(result.get("ids") or [])


def check(env, pool_id, import_ref, count):
    """The import's result in SQL: what the figures claim happened did happen, and the books agree."""
    cr = env.cr
    cr.execute(SQL("SELECT count(*), sum(payable) FROM points_legacy_member WHERE import_ref = %s", import_ref))
    members, payable = cr.fetchone()
    cr.execute(SQL(
        """SELECT count(*), sum(legacy_delta), count(DISTINCT move_id) FROM points_ledger ledger
             JOIN points_legacy_member member ON member.id = ledger.legacy_member_id
            WHERE member.import_ref = %s AND ledger.event = 'legacy_import'""", import_ref))
    rows, ledger_total, moves = cr.fetchone()
    pool = env["points.pool"].browse(pool_id)
    general_ledger = -pool._account_balance(pool.legacy_account_id)
    if not (members == rows == count and round(payable, 2) == round(ledger_total, 2)
            == round(pool.legacy_balance, 2) == round(general_ledger, 2)):
        raise RuntimeError(f"inconsistent import: {members} members, {rows} ledger rows, payable {payable}, "
                           f"ledger {ledger_total}, pool {pool.legacy_balance}, general ledger {general_ledger}")
    return moves


def main():
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--smoke", action="store_true")
    known, odoo_args = parser.parse_known_args(sys.argv[1:])
    count = SMOKE_MEMBERS if known.smoke else known.members
    config.parse_config(odoo_args, setup_logging=True)
    database = config["db_name"]
    print(f"Legacy member import benchmark on database {database}")
    registry = odoo.modules.registry.Registry(database)
    data = members_file(count)

    print(f"[1/2] points_legacy: preview and import of {count:,} members (one transaction)")
    pool_id, import_ref, preview, imported = in_transaction(registry, run_import(data))
    moves = in_transaction(registry, lambda env: check(env, pool_id, import_ref, count))
    seconds = preview + imported
    verdict = "met" if seconds <= GOAL_SECONDS else "NOT MET"
    print(f"  preview {preview:.1f} s + import {imported:.1f} s = {seconds:.1f} s "
          f"({count / seconds:,.0f} members/s; {count:,} ledger rows, {moves} journal entry)   "
          f"goal <= {GOAL_SECONDS} s: {verdict}")

    print(f"[2/2] plain Odoo: base_import of the same {count:,} partners (name, phone, email), rolled back")
    plain, created = plain_import(registry, data)
    print(f"  plain: {created:,} partners in {plain:.1f} s   baseline; ours/plain {seconds / plain:.2f}x "
          f"(ours also previews, matches, creates wallets, members, ledger rows and the journal entry)")
    print()
    print("=" * 100)
    print("Summary (figures, not assertions)")
    print(f"  {'legacy import of ' + format(count, ',') + ' members':<44}{seconds:>10.1f} s   "
          f"goal <= {GOAL_SECONDS} s: {verdict}")
    print(f"  {'plain base_import of the partners':<44}{plain:>10.1f} s   baseline; ours/plain {seconds / plain:.2f}x")
    print("=" * 100)


if __name__ == "__main__":
    main()
