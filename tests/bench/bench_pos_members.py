"""Benchmark of the POS with 100,000 members holding wallets: prints figures, asserts nothing about timings.

Needs two fresh databases without demo data: one with ``points_pos`` (``-d``) and one with plain
``point_of_sale`` (``--plain-db``); the script fills both (partners and wallets by SQL) and commits.
Run it as ``bash scripts/bench.sh pos_members`` does, e.g.::

    source scripts/common.sh
    odoo_cmd -d members_bench -i points_pos --without-demo=all --stop-after-init
    odoo_cmd -d members_bench_plain -i point_of_sale --without-demo=all --stop-after-init
    $PY tests/bench/bench_pos_members.py -c odoo.conf --addons-path="$(odoo_addons_path)" \\
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$DB_USER" --db_password="$PGPASSWORD" \\
        -d members_bench --plain-db members_bench_plain --log-level=warn

Both databases get the same shop and 100,000 customers (``--members N`` for another number,
``--smoke`` for 300); in ours each customer is a member holding points. Timed as the POS
user (the administrator, record rules applied), alternating the databases:

- opening: ``pos.session.load_data`` of every model the POS loads when it opens;
- search: the customer search of the POS (``res.partner.search_read`` on the fields the POS
  loaded, 30 rows, the POS's ``ilike`` domain over name, phone, email, ...) for a name prefix
  matching a few members and for one matching none.

Goal: ours ≤ 1.2 × plain and ≤ 3 s for each.
"""

import argparse
import statistics
import sys
from time import perf_counter

from odoo import api
from odoo.tools import SQL

from bench_pool import in_transaction, ours_and_plain_registries  # a sibling script
from bench_pos import prepare  # a sibling script

MEMBERS = 100_000
SMOKE_MEMBERS = 300
REPEAT = 5
SMOKE_REPEAT = 1
PREFIX = "Bench member "
#: Fields the POS searches customers on (partner_list.js, getNewPartners).
SEARCH_FIELDS = ["name", "parent_name", "phone", "mobile", "email", "barcode", "street", "zip", "city",
                 "state_id", "country_id", "vat"]


def add_members(env, count):
    """``count`` customers copied by SQL from one made by the ORM, with a wallet each when the suite is installed."""
    cr = env.cr
    existing = env["res.partner"].search_count([("name", "=like", PREFIX + "%")])
    if existing >= count:
        return existing
    template = env["res.partner"].create({"name": f"{PREFIX}template", "email": "member@bench.example",
                                          "phone": "+86 138 0000 0000", "city": "Hangzhou"})
    cr.execute(SQL("""SELECT column_name FROM information_schema.columns
                       WHERE table_name = 'res_partner' AND column_name NOT IN
                             ('id', 'name', 'complete_name', 'commercial_partner_id', 'referral_code', 'barcode',
                              'email', 'phone', 'ref')"""))
    columns = [row[0] for row in cr.fetchall()]
    copied = SQL(", ").join(SQL.identifier(column) for column in columns)
    cr.execute(SQL(
        """INSERT INTO res_partner (%(copied)s, name, complete_name, email, phone)
           SELECT %(copied)s, %(prefix)s || n, %(prefix)s || n, 'member' || n || '@bench.example',
                  '+86 139 ' || lpad(n::text, 8, '0')
             FROM res_partner, generate_series(%(start)s, %(stop)s) AS n
            WHERE id = %(template)s""",
        copied=copied, prefix=PREFIX, start=existing, stop=count - 1, template=template.id))
    cr.execute(SQL("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL"))
    if "points.wallet" in env:
        pool = env["points.pool"]._get_for_company(env.company)
        wallet = env["points.wallet"]._get_for_partner(template, env.company)
        cr.execute(SQL("""SELECT column_name FROM information_schema.columns
                           WHERE table_name = 'points_wallet' AND column_name NOT IN ('id', 'partner_id', 'points')"""))
        names = [row[0] for row in cr.fetchall()]
        cr.execute(SQL(
            """INSERT INTO points_wallet (%(columns)s, partner_id, points)
               SELECT %(copied)s, partner.id, 10 + mod(partner.id, 100)
                 FROM points_wallet, res_partner AS partner
                WHERE points_wallet.id = %(wallet)s AND partner.name LIKE %(pattern)s AND partner.id != %(template)s
                  AND NOT EXISTS (SELECT 1 FROM points_wallet other
                                   WHERE other.partner_id = partner.id AND other.pool_id = %(pool)s)""",
            columns=SQL(", ").join(SQL.identifier(name) for name in names),
            copied=SQL(", ").join(SQL.identifier("points_wallet", name) for name in names), wallet=wallet.id, pattern=PREFIX + "%", template=template.id, pool=pool.id))
    cr.execute(SQL("ANALYZE res_partner"))
    return count


def timed(registry, work, repeat):
    """Median seconds of ``work(env)`` as the administrator, each run in its own transaction."""
    seconds = []
    for _n in range(repeat):
        with registry.cursor() as cr:
            env = api.Environment(cr, 2, {})  # base.user_admin: the POS user, record rules applied
            started = perf_counter()
            work(env)
            seconds.append(perf_counter() - started)
            cr.rollback()
    return statistics.median(seconds)


def opening(setup):
    def work(env):
        data = env["pos.session"].browse(setup["session_id"]).load_data([])
        if not data["res.partner"]["data"]:
            raise AssertionError("the POS loaded no customer")
    return work


def customer_search(setup, query, expected):
    def work(env):
        config_id = env["pos.session"].browse(setup["session_id"]).config_id.id
        domain = ["|"] * (len(SEARCH_FIELDS) - 1) + [(name, "ilike", query + "%") for name in SEARCH_FIELDS]
        fields = env["res.partner"]._load_pos_data_fields(config_id)
        found = env["res.partner"].search_read(domain, fields, limit=30, offset=0, load=False)
        if (len(found) > 0) != expected:
            raise AssertionError(f"the search for {query!r} found {len(found)} customers")
    return work


def main():
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--smoke", action="store_true")
    known, odoo_args = parser.parse_known_args(sys.argv[1:])
    members = SMOKE_MEMBERS if known.smoke else known.members
    repeat = SMOKE_REPEAT if known.smoke else REPEAT
    ours, plain = ours_and_plain_registries(odoo_args)
    started = perf_counter()
    setups = {}
    for name, registry in (("ours", ours), ("plain", plain)):
        setups[name] = in_transaction(registry, prepare)
        in_transaction(registry, lambda env: add_members(env, members))
    print(f"POS members benchmark: {members} customers (members with wallets in ours), median of {repeat} runs, "
          f"ours on {ours.db_name}, plain on {plain.db_name}")
    cases = [
        ("opening", lambda setup: opening(setup)),
        ("search, a few", lambda setup: customer_search(setup, f"{PREFIX}{members // 7}", True)),
        ("search, none", lambda setup: customer_search(setup, "Nobody by that name", False)),
    ]
    for label, make in cases:
        # Warm both caches, then measure alternately.
        for name, registry in (("ours", ours), ("plain", plain)):
            timed(registry, make(setups[name]), 1)
        seconds = {name: timed(registry, make(setups[name]), repeat)
                   for name, registry in (("ours", ours), ("plain", plain))}
        ratio = seconds["ours"] / seconds["plain"] if seconds["plain"] else float("inf")
        verdict = "ok" if ratio <= 1.2 and seconds["ours"] <= 3 else "ABOVE GOAL"
        print(f"  pos_members: {label:14} ours {seconds['ours']:6.3f} s  plain {seconds['plain']:6.3f} s  "
              f"ratio {ratio:4.2f}x  (goal ≤ 1.2x and ≤ 3 s: {verdict})")
    print(f"  total run time {perf_counter() - started:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
