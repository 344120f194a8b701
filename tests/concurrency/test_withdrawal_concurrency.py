"""Real parallel withdrawal requests and transfers on one wallet: the same money is never reserved twice.

Runs under pytest-odoo against the test database with points_withdrawal installed. The
transactions commit (in their own cursors, as concurrent HTTP requests would), so every
test works in a company of its own.
"""

import threading
import time
import uuid

import pytest

import odoo
from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import config

from test_parallel_contribute import in_transaction, run_together


@pytest.fixture(scope="module")
def registry():
    registry = odoo.modules.registry.Registry(config["db_name"])
    if "points.withdrawal" not in registry:
        pytest.fail("points_withdrawal is not installed in the test database")
    return registry


def member_with_cash(registry):
    """A company with a bank journal and transfers on, one member with 161.50 of cash and one without."""
    def create(env):
        company = env["res.company"].create({"name": f"Withdrawal concurrency {uuid.uuid4().hex[:8]}"})
        outstanding = env["account.account"].create({
            "name": "Outstanding Payments", "code": "101299", "account_type": "asset_current", "reconcile": True,
            "company_ids": [Command.set(company.ids)]})
        journal = env["account.journal"].create(
            {"name": "Member Payouts", "code": "WDBK", "type": "bank", "company_id": company.id})
        journal.outbound_payment_method_line_ids.payment_account_id = outstanding
        pool = env["points.pool"]._get_for_company(company)
        pool.transfer_enabled = True
        partners = env["res.partner"].create([{"name": f"Parallel member {n}"} for n in range(4)])
        for partner in partners:
            pool.contribute(partner, 1000, 300)
        pool.sell(partners[0], 100)  # SPEC §3.4: 161.50 of cash balance
        return company.id, pool.id, partners.ids
    return in_transaction(registry, create)


def attempt(registry, errors, refusals, func):
    """Runs ``func(env)`` in its own retried transaction; a UserError is a refusal, anything else an error."""
    try:
        in_transaction(registry, func)
    except UserError as refusal:
        refusals.append(refusal)
    except Exception as error:  # noqa: BLE001 (reported by the main thread)
        errors.append(error)


def test_two_requests_waiting_on_each_other_cannot_reserve_the_same_money(registry):
    company_id, pool_id, (member_id, *_others) = member_with_cash(registry)
    first_holds_lock = threading.Event()
    errors, refusals = [], []

    def first():
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["points.withdrawal"]._request(
                    env["res.partner"].browse(member_id), 100, company=env["res.company"].browse(company_id))
                env.flush_all()
                first_holds_lock.set()
                time.sleep(1.0)  # keep the pool locked while the second request starts
        except Exception as error:  # noqa: BLE001
            errors.append(error)
            first_holds_lock.set()

    def second():
        first_holds_lock.wait(10)
        attempt(registry, errors, refusals, lambda env: env["points.withdrawal"]._request(
            env["res.partner"].browse(member_id), 100, company=env["res.company"].browse(company_id)))

    run_together([first, second], timeout=60)
    assert not errors, errors
    assert len(refusals) == 1 and "at most" in str(refusals[0])
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        wallet = env["points.wallet"].search([("partner_id", "=", member_id), ("pool_id", "=", pool_id)])
        assert (wallet.reserved_balance, wallet.available_cash) == (100.0, 61.5)
        assert env["points.pool"].browse(pool_id)._integrity_breaches() == []


def test_parallel_requests_and_transfers_never_over_reserve(registry):
    company_id, pool_id, (member_id, *recipient_ids) = member_with_cash(registry)
    errors, refusals = [], []

    def request(env):
        return env["points.withdrawal"]._request(
            env["res.partner"].browse(member_id), 40, company=env["res.company"].browse(company_id))

    def transfer(recipient_id):
        return lambda env: env["points.transfer"]._transfer(
            env["res.partner"].browse(member_id), env["res.partner"].browse(recipient_id), cash=40,
            company=env["res.company"].browse(company_id))

    # Six operations of 40.00 each against 161.50: exactly four fit.
    operations = [request, request, request] + [transfer(recipient_id) for recipient_id in recipient_ids]
    run_together([lambda func=func: attempt(registry, errors, refusals, func) for func in operations], timeout=120)
    assert not errors, errors
    assert len(refusals) == 2, refusals

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        wallet = env["points.wallet"].search([("partner_id", "=", member_id), ("pool_id", "=", pool_id)])
        requested = env["points.withdrawal"].search([("wallet_id", "=", wallet.id)])
        sent = env["points.transfer"].search([("sender_wallet_id", "=", wallet.id)])
        assert len(requested) + len(sent) == 4
        assert wallet.reserved_balance == 40.0 * len(requested)
        assert wallet.cash_balance == 161.5 - 40.0 * len(sent)
        assert wallet.available_cash == 1.5
        assert env["points.pool"].browse(pool_id)._integrity_breaches() == []
