import json
import logging
import re

import psycopg2

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools.misc import file_open

from ..models import points_input
from ..models.points_member_service import MemberError
from .serializers import MemberSerializer

_logger = logging.getLogger(__name__)

API = "/points/api/v1"
#: Calls with a missing or wrong token one client address may make per minute.
AUTH_FAILURE_LIMIT_PARAM = "points_portal.api_auth_failure_limit"
AUTH_FAILURE_LIMIT = 20


def api_route(path, methods, body=False, query=(), idempotent=False):
    """A JSON route of the member API: Bearer token, rate limit, JSON body, JSON errors.

    Handlers get the path arguments, ``query`` (a dict of the declared query parameters only),
    ``body`` (the JSON object) and, when ``idempotent``, ``request_key`` (the idempotency key),
    after the member service and the serializer of its results. No other parameter of the
    request ever reaches them.
    """
    path_args = tuple(re.findall(r"<(?:\w+:)?(\w+)>", path))

    def decorator(handler):
        def endpoint(*args, **kwargs):
            # ir.http._dispatch passed the path arguments only (routing key points_params).
            return args[0]._dispatch(handler, {name: kwargs[name] for name in path_args if name in kwargs},
                                     body=body, query=query, idempotent=idempotent)

        endpoint.__name__ = handler.__name__
        endpoint.__doc__ = handler.__doc__
        return http.route(f"{API}{path}", type="http", auth="public", methods=methods, csrf=False,
                          readonly=False, points_params=path_args)(endpoint)

    return decorator


class PointsApi(http.Controller):
    """JSON API for an app or mini-program (documented in static/api/openapi.json).

    Plain ``type="http"`` routes reading and writing JSON, so that status codes and
    error bodies are the API's own. Each call runs as the token's user: the
    member's access rules apply and nothing runs as superuser.
    """

    # -- plumbing ------------------------------------------------------------------------
    @staticmethod
    def _error_body(code, message):
        return {"error": {"code": code, "message": str(message)}}

    def _error(self, status, code, message, headers=None):
        return request.make_json_response(self._error_body(code, message), status=status, headers=headers)

    def _client_key(self):
        return f"ip:{request.httprequest.remote_addr or 'unknown'}"

    def _authenticate(self):
        """(token, None) or (None, error response). Missing and wrong tokens count against the client's address:
        past the limit the address is refused before its tokens are even checked."""
        Usage = request.env["points.api.usage"].sudo()
        client = self._client_key()
        limit = int(request.env["ir.config_parameter"].sudo().get_param(
            AUTH_FAILURE_LIMIT_PARAM, AUTH_FAILURE_LIMIT) or 0)
        if Usage._over_limit(client, limit):
            return None, self._error(429, "rate_limited", _(
                "Too many calls with a missing or wrong token: wait a minute."), headers=[("Retry-After", "60")])
        header = request.httprequest.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            Usage._hit(client, 0)
            return None, self._error(401, "missing_token", _("Send your API token as 'Authorization: Bearer <token>'."))
        token = request.env["points.api.token"].sudo()._authenticate(header[len("Bearer "):][:256])
        if not token or token.company_id not in token.user_id.company_ids:
            Usage._hit(client, 0)
            return None, self._error(401, "invalid_token", _("This API token is unknown, expired or revoked."))
        return token, None

    def _query(self, names):
        """The declared query parameters (None when absent); a repeated one is refused."""
        args = request.httprequest.args
        values = {}
        for name in names:
            found = args.getlist(name)
            if len(found) > 1:
                raise MemberError("invalid_input", _("The query parameter %s is given more than once.", name))
            values[name] = found[0] if found else None
        return values

    def _body(self):
        try:
            payload = json.loads(request.httprequest.get_data() or b"{}")
        except (ValueError, RecursionError):
            payload = None
        if not isinstance(payload, dict):
            raise MemberError("invalid_json", _("The request body must be a JSON object."))
        return payload

    def _idempotency_key(self, payload):
        """The call's key: the Idempotency-Key header or the body's request_key (the same when both are sent)."""
        header = points_input.parse_key(request.httprequest.headers.get("Idempotency-Key"))
        field = points_input.parse_key(payload.get("request_key"), "request_key")
        if header and field and header != field:
            raise MemberError("invalid_input", _("The Idempotency-Key header and request_key differ."))
        return header or field

    def _dispatch(self, handler, path_args, body=False, query=(), idempotent=False):
        token, error = self._authenticate()
        if error:
            return error
        user = token.user_id
        request.update_env(user=user.id, context=dict(
            request.env.context, lang=user.lang or "en_US", allowed_company_ids=[token.company_id.id], tz=user.tz))
        pool = request.env["points.pool"].sudo()._get_for_company(token.company_id)
        if not request.env["points.api.usage"].sudo()._hit(f"member:{token.partner_id.id}", pool.api_rate_limit):
            return self._error(429, "rate_limited", _("Too many calls: at most %s per minute.", pool.api_rate_limit),
                               headers=[("Retry-After", "60")])
        Idempotency = request.env["points.api.idempotency"].sudo()
        claim = None
        try:
            kwargs = dict(path_args)
            if query:
                kwargs["query"] = self._query(query)
            if body:
                kwargs["body"] = self._body()
            if idempotent:
                kwargs["request_key"] = key = self._idempotency_key(kwargs["body"])
                if key:
                    claim = Idempotency._claim(token.partner_id, token.company_id, key, Idempotency._request_hash(
                        request.httprequest.method, request.httprequest.path, kwargs["body"]))
                    if claim[0] == "conflict":
                        return self._error(409, "idempotency_conflict", _(
                            "This idempotency key was already used for another call."))
                    if claim[0] == "replay":
                        return request.make_json_response(claim[2], status=claim[1],
                                                          headers=[("Idempotent-Replayed", "true")])
            service = request.env["points.member.service"]
            with request.env.cr.savepoint():
                result, status = handler(self, service, MemberSerializer(service.env), **kwargs)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # Odoo runs the whole call again
        except Exception as error:  # noqa: BLE001 (every error becomes a JSON answer)
            if claim and claim[0] == "new":
                Idempotency._release(claim[1])
            return self._error_response(error)
        if claim and claim[0] == "new":
            Idempotency._store(claim[1], status, result)
        return request.make_json_response(result, status=status)

    def _error_response(self, error):
        """The JSON answer of an exception: refusals by their kind, anything else a logged ``internal_error``."""
        message = error.args[0] if getattr(error, "args", None) else str(error)
        if isinstance(error, MemberError):
            return self._error(error.status, error.code, message)
        if isinstance(error, ValidationError):
            return self._error(400, "invalid_input", message)
        if isinstance(error, AccessError):
            return self._error(403, "forbidden", message)
        if isinstance(error, MissingError):
            return self._error(404, "not_found", message)
        if isinstance(error, UserError):
            return self._error(409, "operation_refused", message)
        if isinstance(error, psycopg2.IntegrityError):
            _logger.info("Member API call refused by a database constraint: %s", error)
            return self._error(409, "operation_refused", _("The call conflicts with another one: try again."))
        _logger.exception("Member API call failed: %s %s", request.httprequest.method, request.httprequest.path)
        return self._error(500, "internal_error", _("The call failed unexpectedly; nothing was changed."))

    def _pool_outcome(self, serialize, pool_request, body):
        """(body, status) of a call the pool applies in its order, by the request's state.

        Applied: 201 with the figures. Pending: 202, the client re-reads ``/requests/{id}``.
        Refused at its turn (nothing moved): 409 with the reason.
        """
        body = dict(body, request=serialize.pool_request(pool_request))
        if pool_request.state == "refused":
            body.update(self._error_body("request_refused", _(
                "The profit pool refused the request: %s", pool_request.refusal_reason)))
            return body, 409
        return body, 202 if pool_request.state == "pending" else 201

    @staticmethod
    def _page(items, total, limit, offset, serializer):
        return {"items": [serializer(item) for item in items], "total": total, "limit": limit,
                "offset": offset}

    # -- document ---------------------------------------------------------------------------
    @http.route(f"{API}/openapi.json", type="http", auth="public", methods=["GET"], csrf=False)
    def openapi(self, **kwargs):
        with file_open("points_portal/static/api/openapi.json", "rb") as document:
            return request.make_response(document.read(), headers=[("Content-Type", "application/json")])

    # -- wallet, ledger, price ------------------------------------------------------------------
    @api_route("/wallet", ["GET"])
    def wallet(self, service, serialize):
        pool = service._pool()
        data = serialize.wallet(pool, service._wallet())
        data["disclosure"] = pool.sudo()._portal_disclosure_html()
        return data, 200

    @api_route("/ledger", ["GET"], query=("limit", "offset", "event", "date_from", "date_to", "sort"))
    def ledger(self, service, serialize, query):
        limit, offset = service._parse_page(query["limit"], query["offset"])
        rows, total = service._ledger(query["event"] or None, query["date_from"], query["date_to"], limit=limit,
                                      offset=offset, sort=query["sort"] or "date_desc")
        return self._page(rows, total, limit, offset, serialize.ledger_row), 200

    @api_route("/price-history", ["GET"], query=("limit",))
    def price_history(self, service, serialize, query):
        limit, _offset = service._parse_page(query["limit"], 0, default=200)
        pool = service._pool()
        history = pool.sudo()._price_history(limit=max(limit, 2))
        return {"currency": pool.currency_id.name, "price": pool.price,
                "items": [{"date": date.isoformat(sep=" ", timespec="seconds"), "price": price}
                          for date, price in history]}, 200

    # -- selling ----------------------------------------------------------------------------------
    @api_route("/sell/preview", ["GET"], query=("points",))
    def sell_preview(self, service, serialize, query):
        return service._sell_preview(query["points"]), 200

    @api_route("/sell", ["POST"], body=True, idempotent=True)
    def sell(self, service, serialize, body, request_key):
        pool_request = service._sell(body.get("points"))
        row = pool_request.ledger_id
        return self._pool_outcome(serialize, pool_request, {
            "ledger": serialize.ledger_row(row) if row else None,
            "wallet": serialize.wallet(service._pool(), service._wallet())})

    # -- pool requests ----------------------------------------------------------------------------
    @api_route("/requests/<int:request_id>", ["GET"])
    def pool_request(self, service, serialize, request_id):
        return serialize.pool_request(service._pool_request(request_id)), 200

    # -- withdrawals --------------------------------------------------------------------------------
    @api_route("/withdrawals", ["GET"], query=("state", "limit", "offset"))
    def withdrawals(self, service, serialize, query):
        limit, offset = service._parse_page(query["limit"], query["offset"])
        withdrawals, total = service._withdrawals(query["state"] or None, limit=limit, offset=offset)
        return self._page(withdrawals, total, limit, offset, serialize.withdrawal), 200

    @api_route("/withdrawals/preview", ["GET"], query=("amount",))
    def withdrawal_preview(self, service, serialize, query):
        return service._withdrawal_preview(query["amount"]), 200

    @api_route("/withdrawals", ["POST"], body=True, idempotent=True)
    def withdrawal_request(self, service, serialize, body, request_key):
        withdrawal = service._request_withdrawal(body.get("amount"), request_key=request_key,
                                                 payee_id=body.get("payee_id"))
        return serialize.withdrawal(withdrawal), 201

    @api_route("/payees", ["GET"])
    def payees(self, service, serialize):
        payees = service._payees()
        return {"items": [serialize.payee(payee) for payee in payees]}, 200

    @api_route("/payees", ["POST"], body=True)
    def payee_add(self, service, serialize, body):
        payee = service._add_payee(body.get("method"), body.get("account"), body.get("holder_name"),
                                   bank_name=body.get("bank_name"), bank_branch=body.get("bank_branch"))
        return serialize.payee(payee), 201

    @api_route("/payees/<int:payee_id>/remove", ["POST"])
    def payee_remove(self, service, serialize, payee_id):
        return serialize.payee(service._remove_payee(payee_id)), 200

    @api_route("/withdrawals/<int:withdrawal_id>", ["GET"])
    def withdrawal(self, service, serialize, withdrawal_id):
        return serialize.withdrawal(service._withdrawal(withdrawal_id)), 200

    @api_route("/withdrawals/<int:withdrawal_id>/cancel", ["POST"])
    def withdrawal_cancel(self, service, serialize, withdrawal_id):
        return serialize.withdrawal(service._cancel_withdrawal(withdrawal_id)), 200

    # -- transfers ------------------------------------------------------------------------------------
    @api_route("/transfers", ["POST"], body=True, idempotent=True)
    def transfer(self, service, serialize, body, request_key):
        transfer = service._transfer(body.get("recipient_code"), cash=body.get("cash"), points=body.get("points"),
                                     memo=body.get("memo"), request_key=request_key)
        return self._pool_outcome(serialize, transfer.sudo().request_id.with_env(request.env),
                                  serialize.transfer(transfer))

    # -- referral, team, rewards, rebates -----------------------------------------------------------------
    @api_route("/referral", ["GET"])
    def referral(self, service, serialize):
        return serialize.referral(service._referral(), service._can_bind()), 200

    @api_route("/referral/bind", ["POST"], body=True)
    def referral_bind(self, service, serialize, body):
        service._bind_referral(body.get("code"))
        return serialize.referral(service._referral(), service._can_bind()), 200

    @api_route("/team", ["GET"], query=("limit", "offset"))
    def team(self, service, serialize, query):
        limit, offset = service._parse_page(query["limit"], query["offset"])
        referees, total, team_size, team_volume = service._team(limit=limit, offset=offset)
        page = self._page(referees, total, limit, offset, serialize.referee)
        page.update(team_size=team_size, team_volume=team_volume, direct_count=total)
        return page, 200

    @api_route("/rewards", ["GET"], query=("state", "limit", "offset", "chain_kind"))
    def rewards(self, service, serialize, query):
        limit, offset = service._parse_page(query["limit"], query["offset"])
        rewards, total = service._rewards(query["state"] or None, limit=limit, offset=offset,
                                          chain_kind=query["chain_kind"] or None)
        return self._page(rewards, total, limit, offset, serialize.reward), 200

    # -- chain reward 2+1 -----------------------------------------------------------------------------------
    @api_route("/chain", ["GET"])
    def chain(self, service, serialize):
        return serialize.chain(service._pool().currency_id, service._chain_states()), 200

    @api_route("/chain/team", ["GET"], query=("limit", "offset"))
    def chain_team(self, service, serialize, query):
        limit, offset = service._parse_page(query["limit"], query["offset"])
        rows, total = service._chain_team(limit=limit, offset=offset)
        return self._page(rows, total, limit, offset, serialize.chain_team_member), 200

    @api_route("/rebates", ["GET"], query=("state", "limit", "offset"))
    def rebates(self, service, serialize, query):
        limit, offset = service._parse_page(query["limit"], query["offset"])
        entries, total, queued = service._rebates(query["state"] or None, limit=limit, offset=offset)
        page = self._page(entries, total, limit, offset, serialize.rebate)
        page["queued_total"] = queued
        return page, 200
