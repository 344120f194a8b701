"""Rounding rules of SPEC §3.2.

Money goes to the currency precision, points to 0.0001. What enters the pool
(contribution, mint value) rounds half-up; what leaves it (minted points,
payouts, redeem values) rounds down, so every rounding favours the pool.

>>> money_half_up(Decimal("300.005"))
Decimal('300.01')
>>> money_down(Decimal("161.50607"))
Decimal('161.50')
>>> points_down(Decimal("124.95999"))
Decimal('124.9599')
>>> money_down(Decimal("1.239"), digits=0)
Decimal('1')
"""

import functools
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, getcontext, localcontext

MONEY = Decimal("0.01")
POINT = Decimal("0.0001")
#: Precision prices are shown and exit prices are stored with.
PRICE = Decimal("0.000001")
#: Precision of the stored last price (used while no points circulate).
LAST_PRICE = Decimal("0.00000001")

#: Enough digits that products and quotients of money and points are exact
#: before the single final rounding.
CONTEXT = Context(prec=60)


#: 10 ** -digits for the usual precisions (rounding runs several times per event of a drain).
_UNITS = {digits: Decimal(1).scaleb(-digits) for digits in range(13)}


def _unit(digits):
    unit = _UNITS.get(digits)
    return unit if unit is not None else Decimal(1).scaleb(-digits)


def to_decimal(value):
    """Converts ints, strings and floats (through their shortest repr) to Decimal."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def money_half_up(value, digits=2):
    return to_decimal(value).quantize(_unit(digits), rounding=ROUND_HALF_UP, context=CONTEXT)


def money_down(value, digits=2):
    return to_decimal(value).quantize(_unit(digits), rounding=ROUND_DOWN, context=CONTEXT)


def points_down(value):
    return to_decimal(value).quantize(POINT, rounding=ROUND_DOWN, context=CONTEXT)


def points_half_up(value):
    return to_decimal(value).quantize(POINT, rounding=ROUND_HALF_UP, context=CONTEXT)


def price_floor(value):
    return to_decimal(value).quantize(PRICE, rounding=ROUND_FLOOR, context=CONTEXT)


def price_ceiling(value):
    return to_decimal(value).quantize(PRICE, rounding=ROUND_CEILING, context=CONTEXT)


def last_price_up(value):
    """Rounds a price up to 8 decimals: minting at it can never mint too many points."""
    return to_decimal(value).quantize(LAST_PRICE, rounding=ROUND_CEILING, context=CONTEXT)


def exact(func):
    """Runs ``func`` in the exact context (used by the arithmetic helpers).

    Calls made while the exact context is already current (nested helpers, a
    sequencer running a whole batch in it) skip the costly context switch.
    """

    # ``wraps`` keeps the name, the docstring and the module: the doctests of wrapped methods run too.
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if getcontext().prec == CONTEXT.prec:
            return func(*args, **kwargs)
        with localcontext(CONTEXT):
            return func(*args, **kwargs)

    return wrapper
