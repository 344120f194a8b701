"""Real parallel withdrawal requests, transfers and approvals on one wallet: the same money is never reserved twice.

Runs under pytest-odoo against the test database with points_withdrawal installed. Each
call commits in its own cursor through Odoo's RPC retry loop, as concurrent HTTP requests
would, so every test works in a company of its own. A member's own parallel requests
serialize on the member's hold row (contention per member, never per pool).
"""

import threading
import time
import uuid

import pytest

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.fields import Command

from test_pool_sequencer import Calls, drain, read, registry_with, run_together


@pytest.fixture(scope="module")
def registry():
    return registry_with("points.withdrawal", "points_withdrawal")


class MemberCalls(Calls):
    """Calls of members: a UserError is a refusal the member sees (its transaction rolled back), not a failure."""

    refusal_types = (UserError,)


def member_with_cash(registry):
    """A company with a bank journal and transfers on, one member with 161.50 of cash and three without."""
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
        pool._apply_pending()
        env.cr.commit()
        return company.id, pool.id, partners.ids
    return read(registry, create)


def test_two_requests_waiting_on_each_other_cannot_reserve_the_same_money(registry):
    company_id, pool_id, (member_id, *_others) = member_with_cash(registry)
    first_holds_lock = threading.Event()
    errors = []
    calls = MemberCalls(registry)

    def first():
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["points.withdrawal"]._request(
                    env["res.partner"].browse(member_id), 100, company=env["res.company"].browse(company_id))
                env.flush_all()
                first_holds_lock.set()
                time.sleep(1.0)  # keep the member's hold row locked while the second request starts
        except Exception as error:  # noqa: BLE001 (reported by the main thread)
            errors.append(error)
            first_holds_lock.set()

    def second():
        first_holds_lock.wait(10)
        calls.call(lambda env: env["points.withdrawal"]._request(
            env["res.partner"].browse(member_id), 100, company=env["res.company"].browse(company_id)))

    run_together([first, second], timeout=60)
    assert not errors and not calls.failures, (errors, calls.failures)
    assert len(calls.refusals) == 1 and "at most" in calls.refusals[0]

    def check(env):
        wallet = env["points.wallet"].search([("partner_id", "=", member_id), ("pool_id", "=", pool_id)])
        assert (wallet.reserved_balance, wallet.available_cash) == (100.0, 61.5)
        assert env["points.pool"].browse(pool_id)._integrity_breaches() == []
    read(registry, check)


def test_parallel_requests_transfers_and_approvals_never_over_reserve(registry):
    company_id, pool_id, (member_id, *recipient_ids) = member_with_cash(registry)
    calls = MemberCalls(registry)

    def request(env):
        return env["points.withdrawal"]._request(
            env["res.partner"].browse(member_id), 40, company=env["res.company"].browse(company_id))

    def transfer(sender_id, recipient_id, cash):
        return lambda env: env["points.transfer"]._transfer(
            env["res.partner"].browse(sender_id), env["res.partner"].browse(recipient_id), cash=cash,
            company=env["res.company"].browse(company_id))

    # Six operations of 40.00 each against 161.50: exactly four fit.
    operations = [request, request, request] + [transfer(member_id, recipient, 40) for recipient in recipient_ids]
    run_together([lambda func=func: calls.call(func) for func in operations])
    drain(registry, pool_id)
    assert calls.failures == [], calls.failures
    assert len(calls.refusals) == 2, calls.refusals

    def first_check(env):
        wallet = env["points.wallet"].search([("partner_id", "=", member_id), ("pool_id", "=", pool_id)])
        requested = env["points.withdrawal"].search([("wallet_id", "=", wallet.id)])
        sent = env["points.transfer"].search([("sender_wallet_id", "=", wallet.id)])
        assert len(requested) + len(sent) == 4
        assert set(sent.mapped("state")) <= {"applied"}
        assert wallet.reserved_balance == 40.0 * len(requested)
        assert wallet.cash_balance == 161.5 - 40.0 * len(sent)
        assert wallet.available_cash == 1.5
        assert env["points.pool"].browse(pool_id)._integrity_breaches() == []
        return requested.ids, sent.recipient_id.ids, len(sent)
    withdrawal_ids, senders_back, sent_count = read(registry, first_check)

    # The manager approves every request while the recipients send 10.00 back, all at once.
    calls = MemberCalls(registry)
    operations = [lambda env, wid=wid: env["points.withdrawal"].browse(wid).action_approve() for wid in withdrawal_ids]
    operations += [transfer(sender, member_id, 10) for sender in senders_back]
    run_together([lambda func=func: calls.call(func) for func in operations])
    drain(registry, pool_id)
    assert calls.failures == [] and calls.refusals == [], (calls.failures, calls.refusals)

    def second_check(env):
        wallet = env["points.wallet"].search([("partner_id", "=", member_id), ("pool_id", "=", pool_id)])
        assert set(env["points.withdrawal"].browse(withdrawal_ids).mapped("state")) == {"paid"}
        assert wallet.reserved_balance == 0.0
        assert round(wallet.cash_balance, 2) == round(1.5 + 10 * sent_count, 2)
        assert env["points.pool"].browse(pool_id)._integrity_breaches() == []
    read(registry, second_check)
