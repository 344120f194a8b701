"""Benchmark of the point of sale channel: prints figures, asserts nothing about timings.

Needs two fresh databases without demo data: one with ``points_pos`` (``-d``) and one
with plain ``point_of_sale`` (``--plain-db``); the script fills both and commits freely.
Run it as ``bash scripts/bench.sh`` runs the other benchmarks, e.g.::

    source scripts/common.sh
    odoo_cmd -d pos_bench -i points_pos --without-demo=all --stop-after-init
    odoo_cmd -d pos_bench_plain -i point_of_sale --without-demo=all --stop-after-init
    $PY tests/bench/bench_pos.py -c odoo.conf --addons-path="$(odoo_addons_path)" \\
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$DB_USER" --db_password="$PGPASSWORD" \\
        -d pos_bench --plain-db pos_bench_plain --log-level=warn

The same 200 POS orders (``--orders N`` for another number, ``--smoke`` for 4; one 1,000.00
line, a customer, paid in cash) are synced through
``pos.order.sync_from_ui``, one order per committed transaction as the POS sends them,
in both databases, alternating in blocks so that load on the machine weighs the same:

- plain: point_of_sale alone;
- earn: with the points suite, each order allocates its line, contributes to the pool
  and posts the pool's entry;
- earn, batch: the same with the pool's entries posted in batches (``accounting_mode``;
  the batch posting is timed apart);
- earn + pay: as "earn", and 100.00 of each order is paid with the customer's points
  (checked, redeemed and posted);
- resync: the "earn" orders sent a second time (the POS retrying): nothing moves.

The ratio ours/plain is the suite's cost on the POS synchronisation.
"""

import sys
from time import perf_counter
from uuid import uuid4

from odoo import SUPERUSER_ID, fields

from bench_pool import in_transaction, ours_and_plain_registries, parse_order_args  # a sibling script

ORDERS = 200
SMOKE_ORDERS = 4
BLOCK = 20
CUSTOMERS = 20
PRICE = 1000.0
POINTS_PAID = 100.0



def prepare(env):
    """A shop with a cash method (and a Points method with the suite), an open session, a 1,000.00 product.

    Found again when the script runs a second time on the same databases.
    """
    product = env["product.product"].search([("name", "=", "Bench package")], limit=1) or \
        env["product.product"].create({
            "name": "Bench package", "list_price": PRICE, "standard_price": 200.0, "taxes_id": False,
            "available_in_pos": True,
        })
    partners = env["res.partner"].search([("name", "=like", "Bench customer %")], limit=CUSTOMERS) or \
        env["res.partner"].create([{"name": f"Bench customer {n}"} for n in range(CUSTOMERS)])
    config = env["pos.config"].search([("name", "=", "Bench shop")], limit=1)
    if not config:
        config = env["pos.config"].create({"name": "Bench shop"})
        if not config.payment_method_ids.filtered("is_cash_count"):
            journal = env["account.journal"].search(
                [("type", "=", "cash"), ("company_id", "=", env.company.id)], limit=1)
            config.payment_method_ids |= env["pos.payment.method"].create(
                {"name": "Cash", "journal_id": journal.id})
        if "points_payment" in env["pos.payment.method"]._fields:
            config.payment_method_ids |= env["pos.payment.method"].create(
                {"name": "Points", "points_payment": True, "split_transactions": True})
    cash = config.payment_method_ids.filtered("is_cash_count")[:1]
    points = config.payment_method_ids.filtered(lambda method: method._fields.get("points_payment")
                                                and method.points_payment)
    session = config.current_session_id
    if not session:
        session = env["pos.session"].create({"config_id": config.id, "user_id": env.ref("base.user_admin").id})
        session.set_opening_control(0, None)
    sequence = max(session.order_ids.mapped("sequence_number") or [0])
    return {"session_id": session.id, "pricelist_id": config.pricelist_id.id, "product_id": product.id,
            "partner_ids": partners.ids, "cash_id": cash.id, "points_id": points.id, "sequence": sequence}


def order_payload(setup, sequence, partner_id, points_paid=0.0):
    """An order as the POS serializes it."""
    now = fields.Datetime.to_string(fields.Datetime.now())
    payments = [(0, 0, {"amount": PRICE - points_paid, "payment_method_id": setup["cash_id"], "name": now})]
    if points_paid:
        payments.append((0, 0, {"amount": points_paid, "payment_method_id": setup["points_id"], "name": now}))
    return {
        "uuid": str(uuid4()), "name": f"Order {setup['session_id']:05d}-001-{sequence:04d}",
        "session_id": setup["session_id"], "sequence_number": sequence, "partner_id": partner_id,
        "pricelist_id": setup["pricelist_id"], "fiscal_position_id": False, "user_id": SUPERUSER_ID,
        "date_order": now, "access_token": False, "last_order_preparation_change": "{}", "to_invoice": False,
        "lines": [(0, 0, {"product_id": setup["product_id"], "qty": 1, "price_unit": PRICE, "discount": 0,
                          "price_subtotal": PRICE, "price_subtotal_incl": PRICE, "tax_ids": [],
                          "pack_lot_ids": [], "uuid": str(uuid4())})],
        "payment_ids": payments,
        "amount_paid": PRICE, "amount_total": PRICE, "amount_tax": 0.0, "amount_return": 0.0,
    }


def ledger_counts(env):
    """Ledger rows of the pool by event, and the integrity breaches."""
    pool = env["points.pool"]._get_for_company(env.company)
    groups = dict(env["points.ledger"]._read_group([("pool_id", "=", pool.id)], ["event"], ["__count"]))
    counts = {event: groups.get(event, 0) for event in ("contribute", "redeem", "exit")}
    return counts, pool._integrity_breaches()


class Variant:
    """One way of syncing orders into one database; keeps the payloads it sent."""

    def __init__(self, name, registry, setup, points_paid=0.0, accounting_mode=None):
        self.name, self.registry, self.setup, self.points_paid = name, registry, setup, points_paid
        self.accounting_mode = accounting_mode
        self.seconds, self.sent = 0.0, []

    def sync(self, payloads):
        started = perf_counter()
        for payload in payloads:
            states = in_transaction(self.registry, lambda env: [
                order["state"] for order in env["pos.order"].sync_from_ui([payload])["pos.order"]])
            if states != ["paid"]:
                raise AssertionError(f"{self.name}: an order ended {states}")
        return perf_counter() - started

    def run(self, count, timed=True):
        if self.accounting_mode:
            def set_mode(env):
                env["points.pool"]._get_for_company(env.company).accounting_mode = self.accounting_mode
            in_transaction(self.registry, set_mode)
        payloads = []
        for _n in range(count):
            # Receipt numbers run on per shop, whichever variant sends the order.
            sequence = self.setup["sequence"] = self.setup.get("sequence", 0) + 1
            partner_id = self.setup["partner_ids"][sequence % CUSTOMERS]
            payloads.append(order_payload(self.setup, sequence, partner_id, self.points_paid))
        seconds = self.sync(payloads)
        if timed:
            self.seconds += seconds
            self.sent += payloads


def main():
    orders, odoo_args = parse_order_args(sys.argv[1:], ORDERS, SMOKE_ORDERS)
    ours, plain = ours_and_plain_registries(odoo_args)
    ours_setup, plain_setup = in_transaction(ours, prepare), in_transaction(plain, prepare)
    before, _breaches = in_transaction(ours, ledger_counts)
    started = perf_counter()
    print(f"POS benchmark: {orders} orders per variant, ours on {ours.db_name}, plain on {plain.db_name}")

    variants = [
        Variant("plain", plain, plain_setup),
        Variant("earn", ours, ours_setup, accounting_mode="realtime"),
        Variant("earn, batch", ours, ours_setup, accounting_mode="batch"),
        Variant("earn + pay", ours, ours_setup, points_paid=POINTS_PAID, accounting_mode="realtime"),
    ]
    # Untimed: one order per customer in each database, so that every member holds points before paying
    # with them and one-off cache fills do not count.
    for variant in variants[:2]:
        variant.run(CUSTOMERS, timed=False)
    for block_start in range(0, orders, BLOCK):
        for variant in variants:
            variant.run(min(BLOCK, orders - block_start))

    earn = variants[1]
    resync_seconds = earn.sync(earn.sent)

    pending = in_transaction(ours, lambda env: env["points.pool"]._get_for_company(env.company).pending_entry_count)
    batch_started = perf_counter()
    in_transaction(ours, lambda env: env["points.pool"]._get_for_company(env.company).action_post_pending_entries())
    batch_seconds = perf_counter() - batch_started

    after, breaches = in_transaction(ours, ledger_counts)
    counts = {event: after[event] - before[event] for event in after}
    expected = CUSTOMERS + 3 * orders
    if counts["contribute"] != expected or counts["redeem"] != orders or breaches:
        raise AssertionError(f"ledger {counts}, expected {expected} contributions and {orders} redemptions; "
                             f"integrity breaches {breaches}: the figures mean nothing")

    plain_seconds = variants[0].seconds
    print(f"  pos: ledger {counts['contribute']} contributions, {counts['redeem']} redemptions, "
          f"{counts['exit']} forced exits in this run; integrity check clean")
    for variant in variants:
        print(f"  pos: {variant.name:12} {variant.seconds:6.1f} s  {orders / variant.seconds:5.1f} orders/s  "
              f"{1000 * variant.seconds / orders:6.1f} ms/order")
    print(f"  pos: batch posting of {pending} waiting pool events: {batch_seconds:.2f} s")
    print(f"  pos: resync    {resync_seconds:6.1f} s  {1000 * resync_seconds / orders:6.1f} ms/order "
          f"(the {orders} 'earn' orders sent again: nothing moved)")
    for variant in variants[1:]:
        print(f"  pos: ratio {variant.name}/plain {variant.seconds / plain_seconds:.2f}x   no goal set")
    print(f"  total run time {perf_counter() - started:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
