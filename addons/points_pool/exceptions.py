"""Refusals of the points rules that carry a stable code, for callers that answer machines (the member API)."""

from odoo.exceptions import UserError


def refusal(code, message):
    """A ``UserError`` saying ``message``, with ``code`` (``wallet_blocked``, ``insufficient_points``…) attached.

    A plain ``UserError`` rather than a subclass: the web client shows an exception by its class
    name, and only Odoo's own classes as a warning (a subclass would open the server-error
    dialog in the back office). Callers read ``getattr(error, "code", None)``.
    """
    error = UserError(message)
    error.code = code
    return error
