import secrets

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models import points_input
from ..models.points_member_service import LEDGER_ORDERS
from .serializers import MemberSerializer

FLASH_KEY = "points_portal_flash"
PAGE_SIZE = 20


class PointsPortal(CustomerPortal):
    """The member's /my/points pages: every read and action goes through ``points.member.service``."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "points_count" in counters:
            wallet = request.env["points.member.service"]._wallet()
            values["points_count"] = request.env["ir.qweb.field.float"].value_to_html(
                wallet.points if wallet else 0.0, {"precision": 2})
        if "rebate_count" in counters:
            readable = request.env["points.rebate.entry"].has_access("read")
            values["rebate_count"] = request.env["points.member.service"]._rebates(limit=1)[1] if readable else 0
        return values

    # -- helpers -------------------------------------------------------------------------
    def _points_values(self, page_name, **values):
        service = request.env["points.member.service"]
        pool = service._pool()
        flash = request.session.pop(FLASH_KEY, None)
        return dict(
            self._prepare_portal_layout_values(), page_name=page_name, pool=pool, currency=pool.currency_id,
            wallet_data=MemberSerializer(request.env).wallet(pool, service._wallet()),
            transfers_enabled=service._transfers_enabled(),
            chain_enabled=service._chain_enabled(), flash=flash,
            **values)

    @staticmethod
    def _referral_values(service):
        return MemberSerializer(request.env).referral(service._referral(), service._can_bind())

    def _flash(self, message, kind="success"):
        request.session[FLASH_KEY] = {"type": kind, "message": str(message)}

    def _run(self, operation, success, redirect):
        """Runs a member action in a savepoint: on a refusal nothing changes and the member reads why.

        ``success`` is the message, or a function of the result returning the message or
        ``(message, kind)`` (the outcome of a pool request may be pending or refused).
        """
        try:
            with request.env.cr.savepoint():
                result = operation()
        except (UserError, AccessError, MissingError) as error:
            self._flash(error.args[0] if error.args else str(error), "danger")
            return request.redirect(redirect)
        outcome = success(result) if callable(success) else success
        message, kind = outcome if isinstance(outcome, tuple) else (outcome, "success")
        self._flash(message, kind)
        return request.redirect(redirect)

    def _sale_outcome(self, pool_request):
        """What the member reads after confirming a sale: its figures, that it waits for the pool, or why not."""
        if pool_request.state == "refused":
            return _("The profit pool refused your sale: %s", pool_request.refusal_reason), "danger"
        if pool_request.state == "pending":
            return _("Your sale of %(points)s points (request %(request)s) waits for the profit pool: reload this "
                     "page in a moment to see it in your wallet.", points=pool_request.points,
                     request=pool_request.display_name), "info"
        row = pool_request.ledger_id
        return _("You sold %(points)s points for %(net)s.", points=-row.points_delta,
                 net=row.currency_id.format(row.cash_delta))

    def _transfer_outcome(self, transfer):
        recipient = transfer.sudo().recipient_id.name
        if transfer.state == "refused":
            return _("The profit pool refused %(name)s: %(reason)s", name=transfer.name,
                     reason=transfer.refusal_reason), "danger"
        if transfer.state == "pending":
            return _("%(name)s to %(recipient)s waits for the profit pool: reload this page in a moment.",
                     name=transfer.name, recipient=recipient), "info"
        return _("%(name)s sent to %(recipient)s.", name=transfer.name, recipient=recipient)

    # -- dashboard -------------------------------------------------------------------------
    @http.route("/my/points", type="http", auth="user", website=True, points_params=())
    def portal_my_points(self, **kwargs):
        service = request.env["points.member.service"]
        pool = service._pool()
        rows, total = service._ledger(limit=5)
        values = self._points_values(
            "points", price_chart=request.env["ir.qweb"]._render(
                "points_pool.points_pool_price_chart", pool.sudo()._price_chart_values(width=640, height=160)),
            disclosure=pool.sudo()._portal_disclosure_html(), recent_rows=rows, ledger_total=total,
            referral=self._referral_values(service), partner=service._member())
        return request.render("points_portal.portal_my_points", values)

    @http.route(["/my/points/ledger", "/my/points/ledger/page/<int:page>"], type="http", auth="user", website=True,
                points_params=("page", "event", "date_from", "date_to", "sortby"))
    def portal_my_points_ledger(self, page=1, event=None, date_from=None, date_to=None, sortby="date_desc",
                                **kwargs):
        service = request.env["points.member.service"]
        sortby = sortby if isinstance(sortby, str) and sortby in LEDGER_ORDERS else "date_desc"
        page = points_input.parse_page_number(page, PAGE_SIZE)
        try:
            domain = service._ledger_domain(event or None, date_from or None, date_to or None)
        except UserError as error:
            self._flash(error.args[0] if error.args else str(error), "danger")
            return request.redirect("/my/points/ledger")
        total = request.env["points.ledger"].search_count(domain)
        url_args = {k: v for k, v in {"event": event, "date_from": date_from, "date_to": date_to,
                                      "sortby": sortby}.items() if v}
        pager = portal_pager(url="/my/points/ledger", total=total, page=page, step=PAGE_SIZE, url_args=url_args)
        rows, _total = service._ledger(event or None, date_from or None, date_to or None, limit=PAGE_SIZE,
                                       offset=pager["offset"], sort=sortby)
        sortings = {"date_desc": _("Newest"), "date_asc": _("Oldest"), "points_desc": _("Points"),
                    "cash_desc": _("Cash")}
        values = self._points_values(
            "points_ledger", rows=rows, pager=pager, events=service._ledger_events(), event=event or "",
            date_from=date_from or "", date_to=date_to or "", sortby=sortby, sortings=sortings)
        return request.render("points_portal.portal_my_points_ledger", values)

    # -- selling ----------------------------------------------------------------------------
    @http.route("/my/points/sell", type="http", auth="user", website=True, methods=["POST"],
                points_params=("points", "confirm"))
    def portal_my_points_sell(self, points=None, confirm=None, **kwargs):
        """First post: the preview (value, fee, net); the confirmed post sells, re-checked by the pool."""
        service = request.env["points.member.service"]
        if not confirm:
            try:
                preview = service._sell_preview(points)
            except UserError as error:
                self._flash(error.args[0], "danger")
                return request.redirect("/my/points")
            return request.render("points_portal.portal_my_points_sell_confirm",
                                  self._points_values("points_sell", preview=preview))
        return self._run(lambda: service._sell(points), self._sale_outcome, "/my/points")

    # -- withdrawals -------------------------------------------------------------------------
    @http.route(["/my/points/withdrawals", "/my/points/withdrawals/page/<int:page>"], type="http", auth="user",
                website=True, points_params=("page",))
    def portal_my_points_withdrawals(self, page=1, **kwargs):
        service = request.env["points.member.service"]
        page = points_input.parse_page_number(page, PAGE_SIZE)
        domain = [("partner_id", "=", service._member().id), ("company_id", "=", request.env.company.id)]
        total = request.env["points.withdrawal"].search_count(domain)
        pager = portal_pager(url="/my/points/withdrawals", total=total, page=page, step=PAGE_SIZE)
        withdrawals, _total = service._withdrawals(limit=PAGE_SIZE, offset=pager["offset"])
        values = self._points_values("points_withdrawals", withdrawals=withdrawals, pager=pager,
                                     payees=service._payees(),
                                     payee_methods=service._payee_methods())
        return request.render("points_portal.portal_my_points_withdrawals", values)

    @http.route("/my/points/withdrawals/request", type="http", auth="user", website=True, methods=["POST"],
                points_params=("amount", "confirm", "request_key", "payee_id"))
    def portal_my_points_withdrawal_request(self, amount=None, confirm=None, request_key=None, payee_id=None,
                                            **kwargs):
        service = request.env["points.member.service"]
        if not confirm:
            try:
                preview = service._withdrawal_preview(amount)
                payee = service._payee(payee_id) if payee_id else None
            except UserError as error:
                self._flash(error.args[0], "danger")
                return request.redirect("/my/points/withdrawals")
            return request.render("points_portal.portal_my_points_withdrawal_confirm", self._points_values(
                "points_withdrawals", preview=preview, payee=payee, request_key=secrets.token_hex(16)))
        return self._run(
            lambda: service._request_withdrawal(amount, request_key=request_key or None, payee_id=payee_id or None),
            lambda withdrawal: _("Your withdrawal request %(name)s of %(amount)s waits for approval.",
                                 name=withdrawal.name, amount=withdrawal.currency_id.format(withdrawal.amount)),
            "/my/points/withdrawals")

    @http.route("/my/points/payees/add", type="http", auth="user", website=True, methods=["POST"],
                points_params=("method", "account", "holder_name", "bank_name", "bank_branch"))
    def portal_my_points_payee_add(self, method=None, account=None, holder_name=None, bank_name=None,
                                   bank_branch=None, **kwargs):
        service = request.env["points.member.service"]
        return self._run(
            lambda: service._add_payee(method, account, holder_name, bank_name=bank_name or None,
                                       bank_branch=bank_branch or None),
            lambda payee: _("%s is added: choose it when you request a withdrawal.", payee.display_name),
            "/my/points/withdrawals")

    @http.route("/my/points/payees/<int:payee_id>/remove", type="http", auth="user", website=True,
                methods=["POST"], points_params=("payee_id",))
    def portal_my_points_payee_remove(self, payee_id, **kwargs):
        service = request.env["points.member.service"]
        try:
            service._payee(payee_id)
        except UserError:
            raise request.not_found() from None  # another member's payee does not exist for this member
        return self._run(lambda: service._remove_payee(payee_id),
                         lambda payee: _("%s is removed.", payee.display_name), "/my/points/withdrawals")

    @http.route("/my/points/withdrawals/<int:withdrawal_id>/cancel", type="http", auth="user", website=True,
                methods=["POST"], points_params=("withdrawal_id",))
    def portal_my_points_withdrawal_cancel(self, withdrawal_id, **kwargs):
        service = request.env["points.member.service"]
        try:
            service._withdrawal(withdrawal_id)
        except UserError:
            raise request.not_found() from None  # another member's request does not exist for this member
        return self._run(lambda: service._cancel_withdrawal(withdrawal_id),
                         lambda withdrawal: _("%s is cancelled: the amount is available again.", withdrawal.name),
                         "/my/points/withdrawals")

    # -- transfers ---------------------------------------------------------------------------
    @http.route("/my/points/transfer", type="http", auth="user", website=True, methods=["GET", "POST"],
                points_params=("recipient_code", "kind", "quantity", "memo"))
    def portal_my_points_transfer(self, recipient_code=None, kind="cash", quantity=None, memo=None, **kwargs):
        service = request.env["points.member.service"]
        if not service._transfers_enabled():
            raise request.not_found()
        if request.httprequest.method == "GET":
            transfers = request.env["points.transfer"].search(
                ["|", ("sender_id", "=", service._member().id), ("recipient_id", "=", service._member().id),
                 ("company_id", "=", request.env.company.id)], limit=PAGE_SIZE)
            return request.render("points_portal.portal_my_points_transfer",
                                  self._points_values("points_transfer", transfers=transfers))
        return self._run(
            lambda: service._transfer(recipient_code, cash=quantity if kind == "cash" else None,
                                      points=quantity if kind == "points" else None, memo=memo or None),
            self._transfer_outcome, "/my/points/transfer")

    # -- referral and team ---------------------------------------------------------------------
    @http.route(["/my/points/team", "/my/points/team/page/<int:page>"], type="http", auth="user", website=True,
                points_params=("page",))
    def portal_my_points_team(self, page=1, **kwargs):
        service = request.env["points.member.service"]
        page = points_input.parse_page_number(page, PAGE_SIZE)
        _referees, total, _size, _volume = service._team(limit=1)
        pager = portal_pager(url="/my/points/team", total=total, page=page, step=PAGE_SIZE)
        referees, total, team_size, team_volume = service._team(limit=PAGE_SIZE, offset=pager["offset"])
        values = self._points_values(
            "points_team", referees=referees, direct_count=total, team_size=team_size, team_volume=team_volume,
            referral=self._referral_values(service), partner=service._member(), pager=pager)
        return request.render("points_portal.portal_my_points_team", values)

    @http.route("/my/points/referral/bind", type="http", auth="user", website=True, methods=["POST"],
                points_params=("code",))
    def portal_my_points_referral_bind(self, code=None, **kwargs):
        service = request.env["points.member.service"]
        return self._run(lambda: service._bind_referral(code),
                         lambda referrer: _("You are now in the team of %s.", referrer.sudo().name),
                         "/my/points/team")

    # -- rewards --------------------------------------------------------------------------------
    @http.route(["/my/points/rewards", "/my/points/rewards/page/<int:page>"], type="http", auth="user",
                website=True, points_params=("page",))
    def portal_my_points_rewards(self, page=1, **kwargs):
        service = request.env["points.member.service"]
        page = points_input.parse_page_number(page, PAGE_SIZE)
        _rewards, total = service._rewards(limit=1)
        pager = portal_pager(url="/my/points/rewards", total=total, page=page, step=PAGE_SIZE)
        rewards, total = service._rewards(limit=PAGE_SIZE, offset=pager["offset"])
        return request.render("points_portal.portal_my_points_rewards",
                              self._points_values("points_rewards", rewards=rewards, pager=pager))

    # -- rebate queue (points_rebate's pages) ----------------------------------------------------
    @http.route(["/my/rebates", "/my/rebates/page/<int:page>"], type="http", auth="user", website=True,
                points_params=("page",))
    def portal_my_rebates(self, page=1, **kwargs):
        service = request.env["points.member.service"]
        page = points_input.parse_page_number(page, PAGE_SIZE)
        _entries, total, _queued = service._rebates(limit=1)
        pager = portal_pager(url="/my/rebates", total=total, page=page, step=PAGE_SIZE)
        entries, total, queued = service._rebates(limit=PAGE_SIZE, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update({
            "entries": entries, "pager": pager, "page_name": "rebates", "default_url": "/my/rebates",
            "queued_total": queued, "currency": service._pool().currency_id,
        })
        return request.render("points_rebate.portal_my_rebates", values)

    # -- chain reward 2+1 ------------------------------------------------------------------------
    @http.route(["/my/points/chain", "/my/points/chain/page/<int:page>"], type="http", auth="user", website=True,
                points_params=("page",))
    def portal_my_points_chain(self, page=1, **kwargs):
        service = request.env["points.member.service"]
        if not service._chain_enabled():
            raise request.not_found()
        page = points_input.parse_page_number(page, PAGE_SIZE)
        _rows, total = service._chain_team(limit=1)
        pager = portal_pager(url="/my/points/chain", total=total, page=page, step=PAGE_SIZE)
        team, total = service._chain_team(limit=PAGE_SIZE, offset=pager["offset"])
        chain_rewards, _total = service._rewards(limit=10, chain=True)
        serialize = MemberSerializer(request.env)
        values = self._points_values(
            "points_chain", chain=serialize.chain(service._pool().currency_id, service._chain_states()),
            team=[serialize.chain_team_member(row) for row in team],
            team_total=total, pager=pager, chain_rewards=chain_rewards)
        return request.render("points_portal.portal_my_points_chain", values)

    # -- API tokens -----------------------------------------------------------------------------
    @http.route("/my/points/api", type="http", auth="user", website=True, points_params=())
    def portal_my_points_api(self, **kwargs):
        tokens = request.env["points.api.token"].search([("user_id", "=", request.env.user.id)])
        return request.render("points_portal.portal_my_points_api", self._points_values("points_api", tokens=tokens))

    @http.route("/my/points/api/new", type="http", auth="user", website=True, methods=["POST"],
                points_params=("name", "days"))
    def portal_my_points_api_new(self, name=None, days=None, **kwargs):
        try:
            with request.env.cr.savepoint():
                token, plain = request.env["points.api.token"]._issue(
                    points_input.parse_text(name, _("The token name"), 64),
                    days=points_input.parse_int(days, _("The number of days"), 1, 3650) if days else None)
        except (UserError, AccessError) as error:
            self._flash(error.args[0], "danger")
            return request.redirect("/my/points/api")
        tokens = request.env["points.api.token"].search([("user_id", "=", request.env.user.id)])
        # The plain token is shown on this response only; it is never stored nor shown again.
        return request.render("points_portal.portal_my_points_api", self._points_values(
            "points_api", tokens=tokens, new_token=token, plain_token=plain))

    @http.route("/my/points/api/<int:token_id>/revoke", type="http", auth="user", website=True, methods=["POST"],
                points_params=("token_id",))
    def portal_my_points_api_revoke(self, token_id, **kwargs):
        try:
            token_id = points_input.parse_id(token_id)
        except UserError:
            raise request.not_found() from None
        token = request.env["points.api.token"].search([("id", "=", token_id), ("user_id", "=", request.env.user.id)])
        if not token:
            raise request.not_found()
        return self._run(token.action_revoke, _("The token is revoked: apps using it are signed out."),
                         "/my/points/api")
