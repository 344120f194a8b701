"""What the member sees of their records: the dicts the JSON API answers and the portal pages show.

``points.member.service`` finds the records (with the member's own rights) and acts; the
controllers turn what it returns into these dicts, one serializer for both so that a figure
reads the same in the app and on the portal. The shapes are the API's (static/api/openapi.json):
a key is never renamed nor dropped. Of other members they give names (and chain identities)
only, never contact details.
"""

from odoo import fields

from odoo.addons.points_engine.chain import AGENT, BOSS, MEMBER
from odoo.addons.points_engine.cycle import exit_progress


def datetime_or_none(value):
    return fields.Datetime.to_string(value) if value else None


class MemberSerializer:
    """Serializes for the signed-in member of ``env`` (a transfer reads "sent" or "received" from them)."""

    def __init__(self, env):
        self.env = env

    def _labels(self, records, field):
        """{value: label} of a selection field, in the member's language."""
        return dict(records._fields[field]._description_selection(self.env))

    # -- wallet and ledger -------------------------------------------------------------------
    def wallet(self, pool, wallet):
        """The wallet card: points (and what pending requests hold of them), their value, cash, frozen, reserved
        and the way to the forced exit; zeros before the member's first points (no ``wallet``)."""
        currency = pool.currency_id
        data = {
            "currency": currency.name, "price": pool.price, "points": 0.0, "available_points": 0.0,
            "reserved_points": 0.0, "value": 0.0, "cash_balance": 0.0,
            "available_cash": 0.0, "frozen_balance": 0.0, "reserved_balance": 0.0, "debt": 0.0,
            "state": "active", "cycle_number": 1, "cycle_spend": 0.0, "exit_target": 0.0, "exit_reached": 0.0,
            "exit_progress": 0.0, "exit_price": None, "exit_multiple": pool.exit_multiple,
        }
        if not wallet:
            return data
        target, reached, progress = exit_progress(pool.exit_multiple, wallet.cycle_spend, wallet.cycle_realized,
                                                  wallet.value, currency.decimal_places)
        data.update({
            "points": wallet.points, "available_points": wallet.available_points,
            "reserved_points": wallet.reserved_points, "value": wallet.value, "cash_balance": wallet.cash_balance,
            "available_cash": wallet.available_cash, "frozen_balance": wallet.frozen_balance,
            "reserved_balance": wallet.reserved_balance, "debt": wallet.debt, "state": wallet.state,
            "cycle_number": wallet.cycle_number, "cycle_spend": wallet.cycle_spend, "exit_target": float(target),
            "exit_reached": float(reached), "exit_progress": float(progress),
            "exit_price": wallet.exit_price or None,
        })
        return data

    def ledger_row(self, row):
        """A ledger row as the back office shows it: the price before and after the event (a preview used the
        price before) and the source as the document the member knows (their POS order, invoice, withdrawal…)."""
        return {
            "id": row.id, "date": fields.Datetime.to_string(row.date), "event": row.event,
            "event_label": self._labels(row, "event").get(row.event), "points": row.points_delta,
            "cash": row.cash_delta, "amount": row.amount, "fee": row.fee, "price": row.price_after,
            "price_before": row.price_before, "price_after": row.price_after,
            "source": row.source_display or None, "memo": row.memo or None,
        }

    def pool_request(self, pool_request):
        """State of a request the pool applies in its order: pending, applied (with its ledger row) or refused."""
        return {
            "id": pool_request.id, "kind": pool_request.kind,
            "kind_label": self._labels(pool_request, "kind").get(pool_request.kind),
            "state": pool_request.state, "state_label": self._labels(pool_request, "state").get(pool_request.state),
            "refusal_reason": pool_request.refusal_reason or None,
            "requested_at": fields.Datetime.to_string(pool_request.create_date),
            "applied_at": datetime_or_none(pool_request.applied_at),
            "ledger": self.ledger_row(pool_request.ledger_id) if pool_request.ledger_id else None,
        }

    # -- withdrawals, payees, transfers ---------------------------------------------------------
    def withdrawal(self, withdrawal):
        return {
            "id": withdrawal.id, "name": withdrawal.name, "amount": withdrawal.amount,
            "fee": withdrawal.fee_amount, "net": withdrawal.net_amount, "paid": withdrawal.paid_amount,
            "net_label": self.env._("Paid") if withdrawal.state == "paid" else self.env._("Net to pay"),
            "payee": self.payee(withdrawal.payee_id.sudo()) if withdrawal.payee_id else None,
            "state": withdrawal.state,
            "state_label": self._labels(withdrawal, "state").get(withdrawal.state),
            "currency": withdrawal.currency_id.name,
            "requested_at": fields.Datetime.to_string(withdrawal.date_requested),
            "closed_at": datetime_or_none(withdrawal.date_done),
            "reject_reason": withdrawal.reject_reason or None,
        }

    def payee(self, payee):
        """A payee with its account masked: the member never reads a full card number back."""
        return {
            "id": payee.id, "method": payee.method, "method_label": self._labels(payee, "method").get(payee.method),
            "display_name": payee.display_name, "account": payee.account_masked,
            "holder_name": payee.holder_name, "bank_name": payee.bank_name or None,
            "bank_branch": payee.bank_branch or None, "active": payee.active,
        }

    def transfer(self, transfer):
        sent = transfer.sender_id == self.env.user.partner_id
        return {
            "id": transfer.id, "name": transfer.name, "kind": transfer.kind, "amount": transfer.amount,
            "points": transfer.points, "direction": "sent" if sent else "received",
            "counterpart": (transfer.recipient_id if sent else transfer.sender_id).sudo().name,
            "date": fields.Datetime.to_string(transfer.date), "memo": transfer.memo or None,
            "state": transfer.state, "refusal_reason": transfer.refusal_reason or None,
            # The pool request is the sender's: only they may re-read it.
            "request_id": transfer.sudo().request_id.id if sent else None,
        }

    # -- referral, team, rewards, rebates ----------------------------------------------------------
    def referral(self, partner, can_bind):
        """The member's code and share link, their referrer's name and whether they may (re)bind."""
        referrer = partner.sudo().referrer_id
        return {
            "code": partner.referral_code, "share_url": partner.referral_share_url,
            "referrer": referrer.name if referrer else None, "can_bind": can_bind,
            "bound_at": datetime_or_none(partner.referral_bound_at),
        }

    def referee(self, referee):
        """What a member sees of a referee: nothing of their contact details."""
        referee = referee.sudo()
        return {
            "id": referee.id, "name": referee.name, "team_size": referee.referral_team_size,
            "bound_at": datetime_or_none(referee.referral_bound_at),
            "rank": referee.rank_id.name or None,
        }

    def reward(self, reward):
        return {
            "id": reward.id, "rule": reward.sudo().rule_id.name, "amount": reward.amount,
            "net": reward.net_amount, "state": reward.state,
            "state_label": self._labels(reward, "state").get(reward.state),
            "date": fields.Datetime.to_string(reward.date),
            "release_date": datetime_or_none(reward.release_date),
            "chain_kind": reward.chain_kind or None,
            "chain_kind_label": self._labels(reward, "chain_kind").get(reward.chain_kind),
            "chain_fund": bool(reward.chain_fund),
        }

    def rebate(self, entry):
        queued = entry.state == "queued"
        return {
            "id": entry.id, "order": entry.order_label or None, "amount": entry.amount,
            "released": entry.released_amount, "remaining": entry.remaining, "state": entry.state,
            "state_label": self._labels(entry, "state").get(entry.state), "currency": entry.currency_id.name,
            "paid_at": fields.Datetime.to_string(entry.paid_at),
            "due_date": fields.Date.to_string(entry.due_date),
            "position": entry.position if queued else None,
            "expected_release": fields.Date.to_string(entry.expected_release) if queued and entry.expected_release
            else None,
        }

    # -- chain reward 2+1 (points_chain) -----------------------------------------------------------
    def chain(self, currency, states):
        """Identity, team boss, team size, contributed lines, chain fund and task of the member in each chain
        program (``states``: the service's ``_chain_states()``)."""
        return {"currency": currency.name, "programs": [self.chain_program(state) for state in states]}

    def chain_program(self, state):
        """The member's chain state in one program; ``state.row`` is empty before their first package order."""
        program, row, lines = state.program, state.row, state.lines
        labels = self._labels(self.env["points.chain.member"], "identity")
        identity = row.identity if row else MEMBER
        return {
            "program_id": program.id, "program": program.name,
            "identity": identity, "identity_label": labels.get(identity),
            "team_boss": row.team_boss_id.name if row and row.team_boss_id else None,
            "team_size": state.team_size,
            "agent_referrals": row.slots if row else 0,
            "agent_referrals_to_boss": max(program.contributed + 1 - row.slots, 0) if identity == AGENT else 0,
            "contributed_slots": program.contributed,
            "lines": [{"name": line.name, "identity": line_identity, "identity_label": labels.get(line_identity),
                       "qualified": line_identity in (AGENT, BOSS), "orders": count}
                      for line, line_identity, count in lines],
            "fund": row.fund if row else 0.0,
            "fund_released": bool(row and row.released),
            "fund_released_at": datetime_or_none(row.released_at) if row else None,
            # A percentage (20 for 20%), as the API has always given it; the program keeps a share.
            "fund_rate": round(program.fund_rate * 100, 2),
            "task": {
                "lines_qualified": sum(1 for _line, line_identity, _count in lines if line_identity in (AGENT, BOSS)),
                "lines_needed": program.contributed,
                "orders_done": sum(count for _line, _identity, count in lines),
                "orders_needed": program.task_orders + 1,
                "met": state.task_met,
            },
            "earned": dict(state.earned, total=sum(state.earned.values())),
        }

    def chain_team_member(self, row):
        """What a boss sees of a member of their team: name, identity and how they joined; no contact data."""
        row = row.sudo()
        return {
            "id": row.partner_id.id, "name": row.partner_id.name, "identity": row.identity,
            "identity_label": self._labels(row, "identity").get(row.identity), "via": row.team_source,
            "via_label": self._labels(row, "team_source").get(row.team_source), "program_id": row.program_id.id,
            "program": row.program_id.name,
        }
