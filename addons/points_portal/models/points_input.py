"""The one parser of what members type or send: money, points, ids, pages, dates, keys and choices.

Every value from the portal forms and from the JSON API goes through these functions before
it reaches the ORM, the engine or SQL: strict syntax (plain decimal numbers, no ``1_0``,
``nan``, ``inf``), bounds the database and the engine can hold, and a ``MemberError`` with a
stable code (``invalid_input``, or ``not_found`` for ids) for anything else.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from odoo import _
from odoo.exceptions import UserError

#: Largest amount of money or number of points a member may move at once.
MAX_QUANTITY = Decimal(10) ** 12
#: Points have 4 decimals (SPEC §3.2).
POINTS_DIGITS = 4
#: PostgreSQL ``integer``: ids and offsets fit in it.
MAX_INT = 2**31 - 1
MAX_PAGE = 200
#: Dates members may filter by.
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2999, 12, 31)
#: Longest idempotency key.
MAX_KEY = 64

# A plain decimal number; an exponent of at most 3 digits (the bounds refuse the big ones).
# ASCII digits only: \d would take other scripts' digits too.
NUMBER_RE = re.compile(r"\+?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
INTEGER_RE = re.compile(r"\+?[0-9]{1,19}")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
KEY_RE = re.compile(r"[\x21-\x7e]+")


class MemberError(UserError):
    """A refusal the portal shows and the API returns with a stable ``code`` and an HTTP ``status``."""

    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.status = status


def invalid(message):
    return MemberError("invalid_input", message)


def parse_quantity(value, label, digits, maximum=MAX_QUANTITY):
    """A positive Decimal of at most ``digits`` decimals and at most ``maximum``, from a JSON number or a text."""
    if isinstance(value, bool) or value is None or value == "":
        raise invalid(_("%s is missing or not a number.", label))
    top = format(maximum, "f")
    if isinstance(value, int):
        if not 0 < value <= maximum:
            raise invalid(_("%(label)s goes from more than 0 to %(max)s.", label=label, max=top))
        return Decimal(value)
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, (str, Decimal)):
        text = str(value).strip()
    else:
        raise invalid(_("%s is missing or not a number.", label))
    if len(text) > 40 or not NUMBER_RE.fullmatch(text):
        raise invalid(_("%(label)s is not a plain decimal number: %(value)s.", label=label, value=text[:40]))
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise invalid(_("%(label)s is not a plain decimal number: %(value)s.", label=label, value=text)) from None
    if not 0 < number <= maximum:
        raise invalid(_("%(label)s goes from more than 0 to %(max)s.", label=label, max=top))
    if number != number.quantize(Decimal(1).scaleb(-digits)):
        raise invalid(_("%(label)s has at most %(digits)s decimals (%(value)s).", label=label, digits=digits,
                        value=text))
    return number


def parse_points(value, label=None):
    return parse_quantity(value, label or _("The number of points"), POINTS_DIGITS)


def parse_money(value, digits, label=None):
    return parse_quantity(value, label or _("The amount"), digits)


def parse_int(value, label, minimum, maximum, default=None):
    """A whole number from ``minimum`` to ``maximum``; ``default`` when missing (None or "")."""
    if value is None or value == "":
        if default is not None:
            return default
        raise invalid(_("%s is missing.", label))
    if isinstance(value, bool):
        raise invalid(_("%(label)s is a whole number from %(min)s to %(max)s.", label=label, min=minimum,
                        max=maximum))
    if isinstance(value, str):
        if not INTEGER_RE.fullmatch(value.strip()):
            raise invalid(_("%(label)s is a whole number from %(min)s to %(max)s.", label=label, min=minimum,
                            max=maximum))
        value = int(value.strip())
    if not isinstance(value, int) or not minimum <= value <= maximum:
        raise invalid(_("%(label)s is a whole number from %(min)s to %(max)s.", label=label, min=minimum,
                        max=maximum))
    return value


def parse_id(value, message=None):
    """A record id (1 to 2**31 - 1); anything else is a record that does not exist: ``not_found``."""
    try:
        return parse_int(value, "id", 1, MAX_INT)
    except MemberError:
        raise MemberError("not_found", message or _("This record does not exist or is not yours."), 404) from None


def parse_page(limit, offset, default=20, maximum=MAX_PAGE):
    """(limit, offset) of a page: limit 1 to ``maximum``, offset 0 to 2**31 - 1."""
    limit = parse_int(limit, "limit", 1, maximum, default=default)
    offset = parse_int(offset, "offset", 0, MAX_INT, default=0)
    return limit, offset


def parse_page_number(page, step):
    """A portal page number (1 and up) whose offset fits an integer; a bad one is the first page."""
    try:
        return parse_int(page, "page", 1, MAX_INT // step, default=1)
    except MemberError:
        return 1


def parse_date(value, label):
    """A date YYYY-MM-DD from 1900-01-01 to 2999-12-31, or None when missing."""
    if value is None or value == "":
        return None
    text = value.strip() if isinstance(value, str) else ""
    try:
        parsed = date.fromisoformat(text) if DATE_RE.fullmatch(text) else None
    except ValueError:
        parsed = None
    if not parsed:
        raise invalid(_("%(label)s is not a date (YYYY-MM-DD): %(value)s.", label=label, value=str(value)[:40]))
    if not MIN_DATE <= parsed <= MAX_DATE:
        raise invalid(_("%(label)s lies between %(min)s and %(max)s.", label=label, min=MIN_DATE, max=MAX_DATE))
    return parsed


def parse_text(value, label, maximum, required=False):
    """A text of at most ``maximum`` characters, stripped; None when missing and not required."""
    if value is None or (isinstance(value, str) and not value.strip() and not required):
        if required:
            raise invalid(_("%s is missing.", label))
        return None
    if not isinstance(value, str) or not value.strip():
        raise invalid(_("%(label)s is a text of 1 to %(max)s characters.", label=label, max=maximum))
    if len(value) > maximum:
        raise invalid(_("%(label)s is a text of 1 to %(max)s characters.", label=label, max=maximum))
    return value.strip()


def parse_key(value, label="Idempotency-Key"):
    """An idempotency key: 1 to 64 printable ASCII characters without spaces, or None when missing."""
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= MAX_KEY or not KEY_RE.fullmatch(value):
        raise invalid(_("%(label)s is a text of 1 to %(max)s printable characters without spaces.", label=label,
                        max=MAX_KEY))
    return value


def parse_choice(value, choices, message):
    """``value`` when it is one of ``choices`` (a text), None when missing."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value not in choices:
        raise invalid(message)
    return value
