"""Benchmark of the sales channel: prints figures, asserts nothing about timings.

Run through ``bash scripts/bench.sh``, which installs plain ``sale`` in one fresh
database and ``points_sale`` in another, then runs this script with both names
(``--plain-db`` and ``-d``). The same 200 sales orders (``--orders N`` for another
number, ``--smoke`` for 4; one 1,000.00 line each)
are confirmed, invoiced, posted and paid in full in both databases, alternating
in blocks so that load on the machine weighs the same on both; with the points
suite each payment also allocates the line, contributes to the pool and posts
the pool's entry. Ours runs twice, interleaved with plain Odoo: with one pool
entry per event, and with the pool's entries in batches (then the batch posting
is timed apart). The ratio ours/plain is the suite's cost on the sales flow.
"""

import sys
from time import perf_counter

from odoo import Command

from bench_pool import in_transaction, ours_and_plain_registries, parse_order_args  # a sibling script

ORDERS = 200
SMOKE_ORDERS = 4
BLOCK = 20
WARMUP = 5
GOAL = 1.15  # ours / plain



def prepare(env):
    """Customers and a 1,000.00 product without taxes (a chart of accounts is installed by Odoo)."""
    product = env["product.product"].create({"name": "Bench package", "list_price": 1000.0, "taxes_id": False})
    partners = env["res.partner"].create([{"name": f"Bench customer {n}"} for n in range(20)])
    return product.id, partners.ids


def sell_invoice_pay(env, product_id, partner_id):
    order = env["sale.order"].create({
        "partner_id": partner_id,
        "order_line": [Command.create({"product_id": product_id, "product_uom_qty": 1})],
    })
    order.action_confirm()
    invoice = order._create_invoices()
    invoice.action_post()
    env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
        {})._create_payments()
    return invoice.payment_state


def run(registry, product_id, partner_ids, count, offset):
    started = perf_counter()
    for n in range(count):
        state = in_transaction(registry, lambda env: sell_invoice_pay(
            env, product_id, partner_ids[(offset + n) % len(partner_ids)]))
        if state not in ("paid", "in_payment"):
            raise AssertionError(f"an invoice ended {state}")
    return perf_counter() - started


def main():
    orders, odoo_args = parse_order_args(sys.argv[1:], ORDERS, SMOKE_ORDERS)
    ours, plain = ours_and_plain_registries(odoo_args)
    setups = {name: in_transaction(registry, prepare) for name, registry in (("ours", ours), ("plain", plain))}

    variants = (("realtime", ours, "ours"), ("batch", ours, "ours"), ("plain", plain, "plain"))

    def set_mode(mode):
        def work(env):
            env["points.pool"]._get_for_company(env.company).accounting_mode = mode
        in_transaction(ours, work)

    for variant, registry, setup in variants:
        if registry is ours:
            set_mode(variant)
        run(registry, *setups[setup], WARMUP, 0)
    seconds = dict.fromkeys(("realtime", "batch", "plain"), 0.0)
    for block_start in range(0, orders, BLOCK):
        for variant, registry, setup in variants:
            if registry is ours:
                set_mode(variant)
            seconds[variant] += run(registry, *setups[setup], min(BLOCK, orders - block_start), block_start)

    def post_batch(env):
        pool = env["points.pool"]._get_for_company(env.company)
        pending = pool.pending_entry_count
        started = perf_counter()
        pool.action_post_pending_entries()
        env.flush_all()
        return pending, perf_counter() - started

    pending, batch_seconds = in_transaction(ours, post_batch)

    def contributions(env):
        pool = env["points.pool"]._get_for_company(env.company)
        return env["points.ledger"].search_count([("pool_id", "=", pool.id), ("event", "=", "contribute")])

    contributed = in_transaction(ours, contributions)
    print(f"  sales: {orders} orders confirmed, invoiced and paid per variant ({contributed} contributions in all)")
    for variant in ("plain", "realtime", "batch"):
        print(f"  sales: {variant:8} {seconds[variant]:6.1f} s  {orders / seconds[variant]:5.1f} orders/s")
    print(f"  sales: batch posting of {pending} waiting pool events: {batch_seconds:.2f} s")
    for variant in ("realtime", "batch"):
        ratio = seconds[variant] / seconds["plain"]
        print(f"  sales: ratio {variant}/plain {ratio:.2f}x   goal <= {GOAL:.2f}x: {'met' if ratio <= GOAL else 'NOT met'}")


if __name__ == "__main__":
    sys.exit(main())
