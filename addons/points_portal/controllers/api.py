import inspect
import json
from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools.misc import file_open

from ..models.points_member_service import MemberError

API = "/points/api/v1"


def api_route(path, methods, body=False):
    """A JSON route of the member API: Bearer token, rate limit, JSON body, JSON errors."""

    def decorator(handler):
        def endpoint(self, **kwargs):
            return self._dispatch(handler, kwargs, body=body)

        endpoint.__name__ = handler.__name__
        endpoint.__doc__ = handler.__doc__
        return http.route(f"{API}{path}", type="http", auth="public", methods=methods, csrf=False,
                          readonly=False)(endpoint)

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

    def _authenticate(self):
        header = request.httprequest.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None, self._error(401, "missing_token", _("Send your API token as 'Authorization: Bearer <token>'."))
        token = request.env["points.api.token"].sudo()._authenticate(header[len("Bearer "):])
        if not token or token.company_id not in token.user_id.company_ids:
            return None, self._error(401, "invalid_token", _("This API token is unknown, expired or revoked."))
        return token, None

    def _dispatch(self, handler, kwargs, body=False):
        token, error = self._authenticate()
        if error:
            return error
        user = token.user_id
        request.update_env(user=user.id, context=dict(
            request.env.context, lang=user.lang or "en_US", allowed_company_ids=[token.company_id.id], tz=user.tz))
        pool = request.env["points.pool"].sudo()._get_for_company(token.company_id)
        if not request.env["points.api.usage"].sudo()._hit(token.partner_id, pool.api_rate_limit):
            return self._error(429, "rate_limited", _("Too many calls: at most %s per minute.", pool.api_rate_limit),
                               headers=[("Retry-After", "60")])
        if body:
            try:
                payload = json.loads(request.httprequest.get_data() or b"{}")
            except ValueError:
                payload = None
            if not isinstance(payload, dict):
                return self._error(400, "invalid_json", _("The request body must be a JSON object."))
            kwargs = dict(kwargs, body=payload)
        # Unknown query parameters are ignored, as most JSON APIs do.
        accepted = inspect.signature(handler).parameters
        kwargs = {key: value for key, value in kwargs.items() if key in accepted}
        service = request.env["points.member.service"]
        try:
            with request.env.cr.savepoint():
                result, status = handler(self, service, **kwargs)
        except MemberError as error:
            return self._error(error.status, error.code, error.args[0])
        except ValidationError as error:
            return self._error(400, "invalid_input", error.args[0])
        except AccessError as error:
            return self._error(403, "forbidden", error.args[0])
        except MissingError as error:
            return self._error(404, "not_found", error.args[0])
        except UserError as error:
            return self._error(409, "operation_refused", error.args[0])
        return request.make_json_response(result, status=status)

    def _pool_outcome(self, service, pool_request, body):
        """(body, status) of a call the pool applies in its order, by the request's state.

        Applied: 201 with the figures. Pending: 202, the client re-reads ``/requests/{id}``.
        Refused at its turn (nothing moved): 409 with the reason.
        """
        body = dict(body, request=service._pool_request_data(pool_request))
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
    def wallet(self, service):
        pool = service._pool()
        data = service._wallet_data()
        data["disclosure"] = pool.sudo()._portal_disclosure_html()
        return data, 200

    @api_route("/ledger", ["GET"])
    def ledger(self, service, limit=None, offset=None, event=None, date_from=None, date_to=None, sort="date_desc"):
        limit, offset = service._parse_page(limit, offset)
        rows, total = service._ledger(event or None, date_from, date_to, limit=limit, offset=offset, sort=sort)
        return self._page(rows, total, limit, offset, service._ledger_row_data), 200

    @api_route("/price-history", ["GET"])
    def price_history(self, service, limit=None):
        limit, _offset = service._parse_page(limit, 0, default=200)
        pool = service._pool()
        history = pool.sudo()._price_history(limit=max(limit, 2))
        return {"currency": pool.currency_id.name, "price": pool.price,
                "items": [{"date": date.isoformat(sep=" ", timespec="seconds"), "price": price}
                          for date, price in history]}, 200

    # -- selling ----------------------------------------------------------------------------------
    @api_route("/sell/preview", ["GET"])
    def sell_preview(self, service, points=None):
        return service._sell_preview(points), 200

    @api_route("/sell", ["POST"], body=True)
    def sell(self, service, body):
        pool_request = service._sell(body.get("points"))
        row = pool_request.ledger_id
        return self._pool_outcome(service, pool_request, {
            "ledger": service._ledger_row_data(row) if row else None, "wallet": service._wallet_data()})

    # -- pool requests ----------------------------------------------------------------------------
    @api_route("/requests/<int:request_id>", ["GET"])
    def pool_request(self, service, request_id):
        return service._pool_request_data(service._pool_request(request_id)), 200

    # -- withdrawals --------------------------------------------------------------------------------
    @api_route("/withdrawals", ["GET"])
    def withdrawals(self, service, state=None, limit=None, offset=None):
        limit, offset = service._parse_page(limit, offset)
        withdrawals, total = service._withdrawals(state or None, limit=limit, offset=offset)
        return self._page(withdrawals, total, limit, offset, service._withdrawal_data), 200

    @api_route("/withdrawals", ["POST"], body=True)
    def withdrawal_request(self, service, body):
        withdrawal = service._request_withdrawal(body.get("amount"), request_key=body.get("request_key"))
        return service._withdrawal_data(withdrawal), 201

    @api_route("/withdrawals/<int:withdrawal_id>", ["GET"])
    def withdrawal(self, service, withdrawal_id):
        return service._withdrawal_data(service._withdrawal(withdrawal_id)), 200

    @api_route("/withdrawals/<int:withdrawal_id>/cancel", ["POST"])
    def withdrawal_cancel(self, service, withdrawal_id):
        return service._withdrawal_data(service._cancel_withdrawal(withdrawal_id)), 200

    # -- transfers ------------------------------------------------------------------------------------
    @api_route("/transfers", ["POST"], body=True)
    def transfer(self, service, body):
        transfer = service._transfer(body.get("recipient_code"), cash=body.get("cash"), points=body.get("points"),
                                     memo=body.get("memo"), request_key=body.get("request_key"))
        return self._pool_outcome(service, transfer.sudo().request_id.with_env(request.env),
                                  service._transfer_data(transfer))

    # -- referral, team, rewards ------------------------------------------------------------------------
    @api_route("/referral", ["GET"])
    def referral(self, service):
        return service._referral_data(), 200

    @api_route("/referral/bind", ["POST"], body=True)
    def referral_bind(self, service, body):
        service._bind_referral(body.get("code"))
        return service._referral_data(), 200

    @api_route("/team", ["GET"])
    def team(self, service, limit=None, offset=None):
        limit, offset = service._parse_page(limit, offset)
        referees, total, team_size, team_volume = service._team(limit=limit, offset=offset)
        page = self._page(referees, total, limit, offset, service._referee_data)
        page.update(team_size=team_size, team_volume=team_volume, direct_count=total)
        return page, 200

    @api_route("/rewards", ["GET"])
    def rewards(self, service, state=None, limit=None, offset=None):
        limit, offset = service._parse_page(limit, offset)
        rewards, total = service._rewards(state or None, limit=limit, offset=offset)
        return self._page(rewards, total, limit, offset, service._reward_data), 200
