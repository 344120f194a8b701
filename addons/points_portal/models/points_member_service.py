from collections import namedtuple
from contextlib import contextmanager
from datetime import datetime, time, timedelta

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.points_engine.chain import task_met
from odoo.addons.points_withdrawal.models.points_payee import MAX_PAYEE_TEXT as PAYEE_TEXT_MAX

from . import points_input
from .points_input import MAX_PAGE, MemberError  # noqa: F401 (imported from here by the controllers)

LEDGER_ORDERS = {
    "date_desc": "date desc, id desc",
    "date_asc": "date asc, id asc",
    "points_desc": "points_delta desc, id desc",
    "cash_desc": "cash_delta desc, id desc",
}
#: HTTP status of a refusal of the modules owning the rules, by its code; any other refusal is a 409.
REFUSAL_STATUS = {"transfers_disabled": 403}

#: The member's state in one chain program (points_chain), as the service reads it for the serializer.
ChainState = namedtuple("ChainState", "program row lines team_size earned task_met")


@contextmanager
def refusals():
    """Turns the refusals of the modules owning the rules (points_pool, points_withdrawal) into MemberErrors: a
    refusal carrying a code (``odoo.addons.points_pool.exceptions.refusal``) keeps it, any other UserError is an
    ``operation_refused``; the message is the module's own."""
    try:
        yield
    except UserError as error:
        code = getattr(error, "code", None) or "operation_refused"
        raise MemberError(code, error.args[0], REFUSAL_STATUS.get(code, 409)) from error


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

    # -- selling ----------------------------------------------------------------------------
    @api.model
    def _sell_preview(self, points):
        """What selling ``points`` pays now: {points, gross, fee, net, price, currency}.

        Refuses what the pool would refuse: a blocked wallet, more points than held, a sale paying
        nothing once rounded down, the pool's minimum sale and lifetime spend.
        """
        points = self._parse_points(points)
        pool, wallet = self._pool(), self._wallet()
        with refusals():
            wallet._check_can_send()
            wallet._check_available_points(points, to_member=True)
            quote = pool.sudo()._sell_quote(points)
            pool.sudo()._check_can_sell(wallet.sudo(), points)
        return {"points": float(points), "gross": float(quote.gross), "fee": float(quote.fee),
                "net": float(quote.net), "price": pool.price, "currency": pool.currency_id.name}

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

    # -- withdrawals ------------------------------------------------------------------------
    @api.model
    def _withdrawal_preview(self, amount):
        """What withdrawing ``amount`` pays now, and the pool's withdrawal rules the member reads beside it."""
        amount = self._parse_amount(amount)
        pool, wallet = self._pool().sudo(), self._wallet()
        with refusals():
            fee, net = self.env["points.withdrawal"]._preview(pool, wallet.sudo(), amount)
        return {"amount": float(amount), "fee": float(fee), "net": float(net), "currency": pool.currency_id.name,
                "available_cash": wallet.available_cash, "fee_rate": pool.withdrawal_fee_rate,
                "min_amount": pool.withdrawal_min_amount or None,
                "daily_limit": pool.withdrawal_daily_limit or None}

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

    # -- transfers ----------------------------------------------------------------------------
    @api.model
    def _transfers_enabled(self):
        return bool(self._pool().transfer_enabled)

    @api.model
    def _transfer(self, recipient_code, cash=None, points=None, memo=None, request_key=None):
        """Sends cash or points to the member whose referral code is ``recipient_code``."""
        Transfer = self.env["points.transfer"]
        pool = self._pool()
        with refusals():
            Transfer._check_enabled(pool)
        if (cash in (None, "")) == (points in (None, "")):
            raise MemberError("invalid_input", _("Send either an amount of cash or a number of points."))
        if memo is not None and (not isinstance(memo, str) or len(memo) > 200):
            raise MemberError("invalid_input", _("The memo is a text of at most 200 characters."))
        request_key = points_input.parse_key(request_key, "request_key")
        # The member may not read other members; the transfer service reads the recipient it is given.
        recipient = self._referrer_by_code(recipient_code).sudo()
        wallet = self._wallet()
        with refusals():
            wallet._check_can_send()
        if points not in (None, ""):
            points = self._parse_points(points)
            with refusals():
                Transfer._check_member_holds(pool, wallet, points=points)
            return Transfer._transfer(self._member(), recipient, points=float(points), company=self.env.company,
                                      memo=memo, request_key=request_key)
        cash = self._parse_amount(cash)
        with refusals():
            Transfer._check_member_holds(pool, wallet, cash=cash)
        return Transfer._transfer(self._member(), recipient, cash=float(cash), company=self.env.company, memo=memo,
                                  request_key=request_key)

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
    def _referral(self):
        """The member, with the referral code they are shown: codes are given lazily, a member asking for theirs
        gets it now (it finds them once they are a member)."""
        partner = self._member()
        partner.sudo()._referral_ensure_code()
        return partner

    @api.model
    def _team(self, limit=20, offset=0):
        """(direct referees page, total direct, team size, team volume) of the member.

        Members may not read other partners (their record rules stop at their own): the
        referees come in sudo, and callers show only what the serializer's ``referee`` gives of them
        (name, rank, team size, date bound).
        """
        limit, offset = self._parse_page(limit, offset)
        member = self._member()
        domain = [("referrer_id", "=", member.id)]
        Partner = self.env["res.partner"].sudo()
        referees = Partner.search(domain, limit=limit, offset=offset, order="referral_bound_at desc, id desc")
        return referees, Partner.search_count(domain), member.referral_team_size, member.referral_team_volume

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
    def _chain_states(self):
        """[ChainState] of the member in each chain program of the company: their chain row (in sudo, None before
        their first package order), its contributed lines, the size of the team they lead, their chain rewards by
        kind and whether their task is met. Of other members it reads names and identities only."""
        rows = {row.program_id.id: row for row in self._chain_rows().sudo()}
        return [self._chain_state(program, rows.get(program.id)) for program in self._chain_programs()]

    @api.model
    def _chain_state(self, program, row):
        member = self._member()
        lines = row._task_lines() if row else []
        # The team is read with the member's rights: the record rules give them the rows of their own team.
        team_size = self.env["points.chain.member"].search_count(
            [("program_id", "=", program.id), ("team_boss_id", "=", member.id)])
        Reward = self.env["points.reward"]
        earned = dict.fromkeys(dict(Reward._fields["chain_kind"]._description_selection(self.env)), 0.0)
        for kind, net in Reward._read_group(
                [("partner_id", "=", member.id), ("company_id", "=", self.env.company.id),
                 ("chain_program_id", "=", program.id)], ["chain_kind"], ["net_amount:sum"]):
            if kind:
                earned[kind] = net
        met = bool(row and row.released) or task_met(
            program._rules(), [(line_identity, count) for _line, line_identity, count in lines])
        return ChainState(program, row, lines, team_size, earned, met)

    @api.model
    def _chain_team(self, limit=20, offset=0):
        """(page of the member's team rows, total): the members whose team boss they are, in every program of
        the company. Callers show only what the serializer's ``chain_team_member`` gives of them."""
        limit, offset = self._parse_page(limit, offset)
        domain = [("team_boss_id", "=", self._member().id), ("company_id", "=", self.env.company.id)]
        Member = self.env["points.chain.member"]
        return Member.search(domain, limit=limit, offset=offset, order="id desc"), Member.search_count(domain)
