from datetime import datetime, time, timedelta
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.points_engine.chain import AGENT, BOSS, MEMBER, task_met
from odoo.addons.points_engine.cycle import exit_progress
from odoo.addons.points_engine.pool import EngineError
from odoo.addons.points_engine.rounding import to_decimal
from odoo.addons.points_withdrawal.models.points_payee import MAX_PAYEE_TEXT as PAYEE_TEXT_MAX

from . import points_input
from .points_input import MAX_PAGE, MemberError  # noqa: F401 (imported from here by the controllers)

LEDGER_ORDERS = {
    "date_desc": "date desc, id desc",
    "date_asc": "date asc, id asc",
    "points_desc": "points_delta desc, id desc",
    "cash_desc": "cash_delta desc, id desc",
}
class PointsMemberService(models.AbstractModel):
    """What a member may see and do with their own wallet: one layer for the portal and the JSON API.

    Every method acts for the current user's partner in the current company and runs
    with the member's own rights, so the record rules of the suite decide what they see.
    """

    _name = "points.member.service"
    _description = "Member Self-Service"

    # -- who and where --------------------------------------------------------------------
    @api.model
    def _member(self):
        if self.env.user._is_public():
            raise AccessError(_("Sign in to use your points wallet."))
        return self.env.user.partner_id

    @api.model
    def _pool(self):
        return self.env["points.pool"]._get_for_company(self.env.company)

    @api.model
    def _wallet(self):
        """The member's wallet in the current company, or an empty recordset before their first points."""
        return self.env["points.wallet"]._get_for_partner(self._member(), self.env.company, create=False)

    # -- input ----------------------------------------------------------------------------
    @api.model
    def _parse_points(self, value):
        return points_input.parse_points(value)

    @api.model
    def _parse_amount(self, value):
        return points_input.parse_money(value, self._pool().currency_id.decimal_places)

    @api.model
    def _parse_page(self, limit, offset, default=20):
        return points_input.parse_page(limit, offset, default=default)

    @api.model
    def _parse_date(self, value, label):
        return points_input.parse_date(value, label)

    @api.model
    def _parse_id(self, value):
        return points_input.parse_id(value)

    # -- wallet ---------------------------------------------------------------------------
    @api.model
    def _wallet_data(self):
        """The wallet card: points (and what pending requests hold of them), their value, cash, frozen, reserved
        and the way to the forced exit."""
        pool, wallet = self._pool(), self._wallet()
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

    # -- ledger -----------------------------------------------------------------------------
    @api.model
    def _ledger_events(self):
        return self.env["points.ledger"]._fields["event"]._description_selection(self.env)

    @api.model
    def _ledger_domain(self, event=None, date_from=None, date_to=None):
        domain = [("partner_id", "=", self._member().id), ("company_id", "=", self.env.company.id)]
        if event:
            if event not in dict(self._ledger_events()):
                raise MemberError("invalid_input", _("Unknown ledger event: %s.", event))
            domain.append(("event", "=", event))
        start = self._parse_date(date_from, _("The start date"))
        end = self._parse_date(date_to, _("The end date"))
        if start and end and start > end:
            raise MemberError("invalid_input", _("The start date comes after the end date."))
        if start:
            domain.append(("date", ">=", datetime.combine(start, time.min)))
        if end:
            domain.append(("date", "<", datetime.combine(end + timedelta(days=1), time.min)))
        return domain

    @api.model
    def _ledger(self, event=None, date_from=None, date_to=None, limit=20, offset=0, sort="date_desc"):
        """(rows, total) of the member's ledger, filtered, sorted and paged."""
        if sort not in LEDGER_ORDERS:
            raise MemberError("invalid_input", _("Unknown sort order: %s.", sort))
        limit, offset = self._parse_page(limit, offset)
        domain = self._ledger_domain(event, date_from, date_to)
        Ledger = self.env["points.ledger"]
        return Ledger.search(domain, limit=limit, offset=offset, order=LEDGER_ORDERS[sort]), \
            Ledger.search_count(domain)

    @api.model
    def _ledger_row_data(self, row):
        """A ledger row as the back office shows it: the price before and after the event (a preview used the
        price before) and the source as the document the member knows (their POS order, invoice, withdrawal…)."""
        return {
            "id": row.id, "date": fields.Datetime.to_string(row.date), "event": row.event,
            "event_label": dict(self._ledger_events()).get(row.event), "points": row.points_delta,
            "cash": row.cash_delta, "amount": row.amount, "fee": row.fee, "price": row.price_after,
            "price_before": row.price_before, "price_after": row.price_after,
            "source": row.source_display or None, "memo": row.memo or None,
        }

    # -- selling ----------------------------------------------------------------------------
    @api.model
    def _sell_preview(self, points):
        """What selling ``points`` pays now: {points, gross, fee, net, price}.

        Refuses what the pool would refuse: a blocked wallet, more points than held, a sale paying
        nothing once rounded down, the pool's minimum sale and lifetime spend.
        """
        points = self._parse_points(points)
        pool, wallet = self._pool(), self._wallet()
        self._check_wallet_active(wallet)
        self._check_available_points(wallet, points)
        try:
            quote = pool.sudo()._engine().sell_quote(points)
        except EngineError as error:
            raise MemberError("operation_refused", str(error), 409) from error
        if quote.net <= 0:
            raise MemberError("sale_too_small", _(
                "Selling %(points)s points would pay %(net)s after rounding: sell more points.", points=points,
                net=pool.currency_id.format(float(quote.net))), 409)
        try:
            pool.sudo()._check_can_sell(wallet.sudo(), points)
        except UserError as error:
            raise MemberError("operation_refused", error.args[0], 409) from error
        return {"points": float(points), "gross": float(quote.gross), "fee": float(quote.fee),
                "net": float(quote.net), "price": pool.price, "currency": pool.currency_id.name}

    @api.model
    def _check_wallet_active(self, wallet):
        """A blocked wallet may not sell, withdraw nor send: the member reads so before confirming anything."""
        if wallet and wallet.state == "blocked":
            raise MemberError("wallet_blocked", _(
                "Your points wallet is blocked: you cannot sell, withdraw or transfer. Please contact us."), 409)

    @api.model
    def _check_available_points(self, wallet, points):
        """Refuses more points than the member holds less what their pending sales and transfers reserve."""
        available = wallet._available_points() if wallet else Decimal(0)
        if available < points:
            raise MemberError("insufficient_points", _(
                "You have %(held)s points available, fewer than the %(asked)s asked.", held=available, asked=points),
                409)

    @api.model
    def _sell(self, points):
        """Asks the pool to sell the member's points (it re-checks everything); returns the pool request.

        The request is applied at once when the pool is free (its ledger row is then there),
        else a moment later: callers show its state, never assume it was applied.
        """
        preview = self._sell_preview(points)
        return self._pool().sell(self._member(), preview["points"])

    # -- pool requests --------------------------------------------------------------------
    @api.model
    def _pool_request(self, request_id):
        """The member's own pool request; another member's (or a missing one) is simply not found."""
        pool_request = self.env["points.pool.request"].search(
            [("id", "=", self._parse_id(request_id)), ("partner_id", "=", self._member().id),
             ("company_id", "=", self.env.company.id)])
        if not pool_request:
            raise MemberError("not_found", _("This request does not exist or is not yours."), 404)
        return pool_request

    @api.model
    def _pool_request_data(self, pool_request):
        """State of a request the pool applies in its order: pending, applied (with its ledger row) or refused."""
        kinds = dict(pool_request._fields["kind"]._description_selection(self.env))
        states = dict(pool_request._fields["state"]._description_selection(self.env))
        return {
            "id": pool_request.id, "kind": pool_request.kind, "kind_label": kinds.get(pool_request.kind),
            "state": pool_request.state, "state_label": states.get(pool_request.state),
            "refusal_reason": pool_request.refusal_reason or None,
            "requested_at": fields.Datetime.to_string(pool_request.create_date),
            "applied_at": fields.Datetime.to_string(pool_request.applied_at) if pool_request.applied_at else None,
            "ledger": self._ledger_row_data(pool_request.ledger_id) if pool_request.ledger_id else None,
        }

    # -- withdrawals ------------------------------------------------------------------------
    @api.model
    def _withdrawal_preview(self, amount):
        amount = self._parse_amount(amount)
        pool, wallet = self._pool(), self._wallet()
        self._check_wallet_active(wallet)
        if not wallet or amount > to_decimal(wallet.available_cash):
            available = wallet.available_cash if wallet else 0.0
            raise MemberError("insufficient_cash", _("You may withdraw at most %s now.",
                                                     pool.currency_id.format(available)), 409)
        Withdrawal = self.env["points.withdrawal"]
        try:
            Withdrawal._check_can_withdraw(pool.sudo(), wallet.sudo(), amount)
        except UserError as error:
            raise MemberError("operation_refused", error.args[0], 409) from error
        fee, net = Withdrawal._split_fee(pool.sudo(), amount)
        if net <= 0:
            raise MemberError("operation_refused", _("After the fee nothing would be paid: ask for more."), 409)
        return {"amount": float(amount), "fee": float(fee), "net": float(net), "currency": pool.currency_id.name,
                "available_cash": wallet.available_cash, "fee_rate": pool.sudo().withdrawal_fee_rate,
                "min_amount": pool.sudo().withdrawal_min_amount or None,
                "daily_limit": pool.sudo().withdrawal_daily_limit or None}

    @api.model
    def _request_withdrawal(self, amount, request_key=None, payee_id=None):
        """A withdrawal request of ``amount`` paid to ``payee_id``; the same ``request_key`` returns the first request."""
        request_key = points_input.parse_key(request_key, "request_key")
        parsed = self._parse_amount(amount)
        payee = self._payee(payee_id) if payee_id not in (None, "") else None
        wallet = self._wallet()
        repeated = request_key and wallet and self.env["points.withdrawal"].search_count(
            [("wallet_id", "=", wallet.id), ("request_key", "=", request_key)])
        if not repeated:
            # A repeated call is answered by the withdrawal service, even when its own request now holds the cash.
            self._withdrawal_preview(parsed)
        return self.env["points.withdrawal"]._request(
            self._member(), float(parsed), company=self.env.company, request_key=request_key, payee=payee)

    @api.model
    def _withdrawals(self, state=None, limit=20, offset=0):
        limit, offset = self._parse_page(limit, offset)
        domain = [("partner_id", "=", self._member().id), ("company_id", "=", self.env.company.id)]
        if state:
            if state not in dict(self.env["points.withdrawal"]._fields["state"]._description_selection(self.env)):
                raise MemberError("invalid_input", _("Unknown withdrawal state: %s.", state))
            domain.append(("state", "=", state))
        Withdrawal = self.env["points.withdrawal"]
        return Withdrawal.search(domain, limit=limit, offset=offset), Withdrawal.search_count(domain)

    @api.model
    def _withdrawal(self, withdrawal_id):
        """The member's own request; another member's (or a missing one) is simply not found."""
        withdrawal = self.env["points.withdrawal"].search(
            [("id", "=", self._parse_id(withdrawal_id)), ("partner_id", "=", self._member().id)])
        if not withdrawal:
            raise MemberError("not_found", _("This withdrawal request does not exist or is not yours."), 404)
        return withdrawal

    @api.model
    def _cancel_withdrawal(self, withdrawal_id):
        withdrawal = self._withdrawal(withdrawal_id)
        if withdrawal.state != "requested":
            raise MemberError("invalid_state", _("Only requests waiting for approval can be cancelled."), 409)
        withdrawal.action_cancel()
        return withdrawal

    @api.model
    def _withdrawal_data(self, withdrawal):
        states = dict(withdrawal._fields["state"]._description_selection(self.env))
        return {
            "id": withdrawal.id, "name": withdrawal.name, "amount": withdrawal.amount,
            "fee": withdrawal.fee_amount, "net": withdrawal.net_amount, "paid": withdrawal.paid_amount,
            "net_label": _("Paid") if withdrawal.state == "paid" else _("Net to pay"),
            "payee": self._payee_data(withdrawal.payee_id.sudo()) if withdrawal.payee_id else None,
            "state": withdrawal.state,
            "state_label": states.get(withdrawal.state), "currency": withdrawal.currency_id.name,
            "requested_at": fields.Datetime.to_string(withdrawal.date_requested),
            "closed_at": fields.Datetime.to_string(withdrawal.date_done) if withdrawal.date_done else None,
            "reject_reason": withdrawal.reject_reason or None,
        }

    # -- payees ---------------------------------------------------------------------------------
    @api.model
    def _payees(self):
        """The member's own active payees in the current company."""
        return self.env["points.payee"].search(
            [("partner_id", "=", self._member().id), ("company_id", "=", self.env.company.id)])

    @api.model
    def _payee_methods(self):
        """(value, label) of the payment methods a member may add."""
        return self.env["points.payee"]._fields["method"]._description_selection(self.env)

    @api.model
    def _payee(self, payee_id):
        """The member's own active payee; another member's (or a missing one) is simply not found."""
        payee = self.env["points.payee"].search([
            ("id", "=", self._parse_id(payee_id)), ("partner_id", "=", self._member().id),
            ("company_id", "=", self.env.company.id)])
        if not payee:
            raise MemberError("not_found", _("This payee does not exist or is not yours."), 404)
        return payee

    @api.model
    def _add_payee(self, method, account, holder_name, bank_name=None, bank_branch=None):
        """A new payee of the member: a bank card (with bank and branch), an Alipay or a WeChat account."""
        Payee = self.env["points.payee"]
        method = points_input.parse_choice(method, dict(Payee._fields["method"]._description_selection(self.env)),
                                           _("The payment method is bank_card, alipay or wechat."))
        if not method:
            raise MemberError("invalid_input", _("The payment method is missing."))
        maximum = PAYEE_TEXT_MAX
        values = {
            "method": method,
            "account": points_input.parse_text(account, _("The account"), maximum, required=True),
            "holder_name": points_input.parse_text(holder_name, _("The account holder"), maximum, required=True),
            "bank_name": points_input.parse_text(bank_name, _("The bank"), maximum),
            "bank_branch": points_input.parse_text(bank_branch, _("The branch"), maximum),
        }
        if method != "bank_card":
            values.update(bank_name=None, bank_branch=None)
        try:
            with self.env.cr.savepoint():
                return Payee._add_for(self._member(), values, company=self.env.company)
        except ValidationError as error:
            raise MemberError("invalid_input", error.args[0]) from None

    @api.model
    def _remove_payee(self, payee_id):
        payee = self._payee(payee_id)
        payee._remove()
        return payee

    @api.model
    def _payee_data(self, payee):
        methods = dict(payee._fields["method"]._description_selection(self.env))
        return {
            "id": payee.id, "method": payee.method, "method_label": methods.get(payee.method),
            "display_name": payee.display_name, "account": payee.account_masked,
            "holder_name": payee.holder_name, "bank_name": payee.bank_name or None,
            "bank_branch": payee.bank_branch or None, "active": payee.active,
        }

    # -- transfers ----------------------------------------------------------------------------
    @api.model
    def _transfers_enabled(self):
        return bool(self._pool().transfer_enabled)

    @api.model
    def _transfer(self, recipient_code, cash=None, points=None, memo=None, request_key=None):
        """Sends cash or points to the member whose referral code is ``recipient_code``."""
        if not self._transfers_enabled():
            raise MemberError("transfers_disabled", _("Transfers between members are not enabled."), 403)
        if (cash in (None, "")) == (points in (None, "")):
            raise MemberError("invalid_input", _("Send either an amount of cash or a number of points."))
        if memo is not None and (not isinstance(memo, str) or len(memo) > 200):
            raise MemberError("invalid_input", _("The memo is a text of at most 200 characters."))
        request_key = points_input.parse_key(request_key, "request_key")
        # The member may not read other members; the transfer service reads the recipient it is given.
        recipient = self._referrer_by_code(recipient_code).sudo()
        wallet = self._wallet()
        self._check_wallet_active(wallet)
        if points not in (None, ""):
            points = self._parse_points(points)
            self._check_available_points(wallet, points)
            return self.env["points.transfer"]._transfer(self._member(), recipient, points=float(points),
                                                         company=self.env.company, memo=memo,
                                                         request_key=request_key)
        cash = self._parse_amount(cash)
        if not wallet or cash > to_decimal(wallet.available_cash):
            raise MemberError("insufficient_cash", _("You may send at most %s now.", self._pool().currency_id.format(
                wallet.available_cash if wallet else 0.0)), 409)
        return self.env["points.transfer"]._transfer(self._member(), recipient, cash=float(cash),
                                                     company=self.env.company, memo=memo, request_key=request_key)

    @api.model
    def _transfer_data(self, transfer):
        member = self._member()
        sent = transfer.sender_id == member
        return {
            "id": transfer.id, "name": transfer.name, "kind": transfer.kind, "amount": transfer.amount,
            "points": transfer.points, "direction": "sent" if sent else "received",
            "counterpart": (transfer.recipient_id if sent else transfer.sender_id).sudo().name,
            "date": fields.Datetime.to_string(transfer.date), "memo": transfer.memo or None,
            "state": transfer.state, "refusal_reason": transfer.refusal_reason or None,
            # The pool request is the sender's: only they may re-read it.
            "request_id": transfer.sudo().request_id.id if sent else None,
        }

    # -- referral and team ----------------------------------------------------------------------
    @api.model
    def _referrer_by_code(self, code):
        if not isinstance(code, str) or not code.strip() or len(code) > 64:
            raise MemberError("invalid_input", _("Enter a referral code."))
        referrer = self.env["res.partner"]._find_by_referral_code(code)
        if not referrer:
            raise MemberError("unknown_referral_code", _("No member has the referral code %s.", code.strip()), 404)
        return referrer

    @api.model
    def _can_bind(self):
        """True when the member has no referrer yet, or the binding mode still lets them change it."""
        return self._member().sudo()._referrer_changeable()

    @api.model
    def _bind_referral(self, code):
        referrer = self._referrer_by_code(code)
        member = self._member()
        if referrer == member:
            raise MemberError("invalid_input", _("You cannot use your own referral code."))
        member._bind_referrer(referrer, via="code")
        return referrer

    @api.model
    def _referral_data(self):
        partner = self._member()
        # Codes are given lazily: a member asking for theirs gets it now (it finds them once they are a member).
        partner.sudo()._referral_ensure_code()
        referrer = partner.sudo().referrer_id
        return {
            "code": partner.referral_code, "share_url": partner.referral_share_url,
            "referrer": referrer.name if referrer else None, "can_bind": self._can_bind(),
            "bound_at": fields.Datetime.to_string(partner.referral_bound_at) if partner.referral_bound_at else None,
        }

    @api.model
    def _team(self, limit=20, offset=0):
        """(direct referees page, total direct, team size, team volume) of the member.

        Members may not read other partners (their record rules stop at their own): the
        referees come in sudo, and callers show only what ``_referee_data`` gives of them
        (name, rank, team size, date bound).
        """
        limit, offset = self._parse_page(limit, offset)
        member = self._member()
        domain = [("referrer_id", "=", member.id)]
        Partner = self.env["res.partner"].sudo()
        referees = Partner.search(domain, limit=limit, offset=offset, order="referral_bound_at desc, id desc")
        return referees, Partner.search_count(domain), member.referral_team_size, member.referral_team_volume

    @api.model
    def _referee_data(self, referee):
        """What a member sees of a referee: nothing of their contact details."""
        referee = referee.sudo()
        return {
            "id": referee.id, "name": referee.name, "team_size": referee.referral_team_size,
            "bound_at": fields.Datetime.to_string(referee.referral_bound_at) if referee.referral_bound_at else None,
            "rank": referee.rank_id.name or None,
        }

    # -- rewards --------------------------------------------------------------------------------
    @api.model
    def _rewards(self, state=None, limit=20, offset=0, chain_kind=None, chain=False):
        """(rewards page, total) of the member; ``chain`` keeps the chain rewards, ``chain_kind`` those of one
        kind (direct, see_point, peer)."""
        limit, offset = self._parse_page(limit, offset)
        domain = [("partner_id", "=", self._member().id), ("company_id", "=", self.env.company.id)]
        Reward = self.env["points.reward"]
        if state:
            if state not in dict(Reward._fields["state"]._description_selection(self.env)):
                raise MemberError("invalid_input", _("Unknown reward state: %s.", state))
            domain.append(("state", "=", state))
        if chain_kind:
            if chain_kind not in dict(Reward._fields["chain_kind"]._description_selection(self.env)):
                raise MemberError("invalid_input", _("Unknown chain reward kind: %s.", chain_kind))
            domain.append(("chain_kind", "=", chain_kind))
        if chain:
            domain.append(("chain_program_id", "!=", False))
        return Reward.search(domain, limit=limit, offset=offset), Reward.search_count(domain)

    @api.model
    def _reward_data(self, reward):
        states = dict(reward._fields["state"]._description_selection(self.env))
        kinds = dict(reward._fields["chain_kind"]._description_selection(self.env))
        return {
            "id": reward.id, "rule": reward.sudo().rule_id.name, "amount": reward.amount,
            "net": reward.net_amount, "state": reward.state, "state_label": states.get(reward.state),
            "date": fields.Datetime.to_string(reward.date),
            "release_date": fields.Datetime.to_string(reward.release_date) if reward.release_date else None,
            "chain_kind": reward.chain_kind or None, "chain_kind_label": kinds.get(reward.chain_kind),
            "chain_fund": bool(reward.chain_fund),
        }

    # -- rebate queue ---------------------------------------------------------------------------
    @api.model
    def _rebates(self, state=None, limit=20, offset=0):
        """(entries page, total, queued total) of the member's queued rebates (points_rebate), queued first."""
        limit, offset = self._parse_page(limit, offset)
        Entry = self.env["points.rebate.entry"]
        domain = [("partner_id", "=", self._member().id), ("company_id", "=", self.env.company.id)]
        if state:
            if state not in dict(Entry._fields["state"]._description_selection(self.env)):
                raise MemberError("invalid_input", _("Unknown rebate state: %s.", state))
            domain.append(("state", "=", state))
        [(queued,)] = Entry._read_group([*domain, ("state", "=", "queued")], [], ["remaining:sum"])
        return (Entry.search(domain, limit=limit, offset=offset, order="state, paid_at desc, id desc"),
                Entry.search_count(domain), queued or 0.0)

    @api.model
    def _rebate_data(self, entry):
        states = dict(entry._fields["state"]._description_selection(self.env))
        queued = entry.state == "queued"
        return {
            "id": entry.id, "order": entry.order_label or None, "amount": entry.amount,
            "released": entry.released_amount, "remaining": entry.remaining, "state": entry.state,
            "state_label": states.get(entry.state), "currency": entry.currency_id.name,
            "paid_at": fields.Datetime.to_string(entry.paid_at),
            "due_date": fields.Date.to_string(entry.due_date),
            "position": entry.position if queued else None,
            "expected_release": fields.Date.to_string(entry.expected_release) if queued and entry.expected_release
            else None,
        }

    # -- chain reward 2+1 (points_chain) --------------------------------------------------------
    @api.model
    def _chain_rows(self):
        """The member's own chain rows in the current company (one per program they take part in)."""
        return self.env["points.chain.member"].search(
            [("partner_id", "=", self._member().id), ("company_id", "=", self.env.company.id)])

    @api.model
    def _chain_programs(self):
        """The enabled chain programs of the company, and any other the member has a chain row in."""
        programs = self.env["points.chain.program"].sudo().search(
            [("company_id", "=", self.env.company.id), ("state", "=", "enabled")])
        return programs | self._chain_rows().sudo().program_id

    @api.model
    def _chain_enabled(self):
        """True when the company runs a chain program or the member has chain rows: the portal shows the tab."""
        return bool(self._chain_programs())

    @api.model
    def _chain_identity_labels(self):
        return dict(self.env["points.chain.member"]._fields["identity"]._description_selection(self.env))

    @api.model
    def _chain_data(self):
        """Identity, team boss, team size, contributed lines, chain fund and task of the member in each chain
        program of the company. Of other members it gives names and identities only."""
        rows = {row.program_id.id: row for row in self._chain_rows().sudo()}
        return {"currency": self._pool().currency_id.name,
                "programs": [self._chain_program_data(program, rows.get(program.id))
                             for program in self._chain_programs()]}

    @api.model
    def _chain_program_data(self, program, row):
        """The member's chain state in ``program`` (``row`` their chain row in sudo, or empty before their
        first package order)."""
        member = self._member()
        labels = self._chain_identity_labels()
        identity = row.identity if row else MEMBER
        lines = row._task_lines() if row else []
        done = sum(count for _line, _identity, count in lines)
        qualified = sum(1 for _line, line_identity, _count in lines if line_identity in (AGENT, BOSS))
        released = bool(row and row.released)
        # The team is read with the member's rights: the record rules give them the rows of their own team.
        team_size = self.env["points.chain.member"].search_count(
            [("program_id", "=", program.id), ("team_boss_id", "=", member.id)])
        earned = {kind: 0.0 for kind in dict(self.env["points.reward"]._fields["chain_kind"]._description_selection(
            self.env))}
        for kind, net in self.env["points.reward"]._read_group(
                [("partner_id", "=", member.id), ("company_id", "=", self.env.company.id),
                 ("chain_program_id", "=", program.id)], ["chain_kind"], ["net_amount:sum"]):
            if kind:
                earned[kind] = net
        return {
            "program_id": program.id, "program": program.name,
            "identity": identity, "identity_label": labels.get(identity),
            "team_boss": row.team_boss_id.name if row and row.team_boss_id else None,
            "team_size": team_size,
            "agent_referrals": row.slots if row else 0,
            "agent_referrals_to_boss": max(program.contributed + 1 - row.slots, 0) if identity == AGENT else 0,
            "contributed_slots": program.contributed,
            "lines": [{"name": line.name, "identity": line_identity, "identity_label": labels.get(line_identity),
                       "qualified": line_identity in (AGENT, BOSS), "orders": count}
                      for line, line_identity, count in lines],
            "fund": row.fund if row else 0.0,
            "fund_released": released,
            "fund_released_at": fields.Datetime.to_string(row.released_at) if row and row.released_at else None,
            # A percentage (20 for 20%), as the API has always given it; the program keeps a share.
            "fund_rate": round(program.fund_rate * 100, 2),
            "task": {
                "lines_qualified": qualified, "lines_needed": program.contributed,
                "orders_done": done, "orders_needed": program.task_orders + 1,
                "met": released or task_met(program._rules(),
                                            [(line_identity, count) for _line, line_identity, count in lines]),
            },
            "earned": dict(earned, total=sum(earned.values())),
        }

    @api.model
    def _chain_team(self, limit=20, offset=0):
        """(page of the member's team rows, total): the members whose team boss they are, in every program of
        the company. Callers show only what ``_chain_team_member_data`` gives of them."""
        limit, offset = self._parse_page(limit, offset)
        domain = [("team_boss_id", "=", self._member().id), ("company_id", "=", self.env.company.id)]
        Member = self.env["points.chain.member"]
        return Member.search(domain, limit=limit, offset=offset, order="id desc"), Member.search_count(domain)

    @api.model
    def _chain_team_member_data(self, row):
        """What a boss sees of a member of their team: name, identity and how they joined; no contact data."""
        row = row.sudo()
        sources = dict(row._fields["team_source"]._description_selection(self.env))
        return {
            "id": row.partner_id.id, "name": row.partner_id.name, "identity": row.identity,
            "identity_label": self._chain_identity_labels().get(row.identity), "via": row.team_source,
            "via_label": sources.get(row.team_source), "program_id": row.program_id.id, "program": row.program_id.name,
        }
