"""The profit pool of SPEC §3.1: contribute, sell, redeem, inject and burn.

A :class:`Pool` holds the pool balance ``P`` and the circulating points ``N``;
each operation returns a :class:`Movement` and updates the pool in place.

The golden vectors of SPEC §3.4 (mint ratio 0.70, sell fee 0.20):

>>> pool = Pool(PoolParams())
>>> [str(pool.contribute(Decimal("300.00")).points) for _ in range(4)]
['210.0000', '147.0000', '124.9500', '112.4550']
>>> pool.balance, pool.points, pool.display_price
(Decimal('1200.00'), Decimal('594.4050'), Decimal('2.018826'))
>>> sale = pool.sell(Decimal("100"))
>>> sale.money, pool.balance, pool.points, pool.display_price
(Decimal('161.50'), Decimal('1038.50'), Decimal('494.4050'), Decimal('2.100505'))

Injected money raises the price; burning points for a refund never lowers it:

>>> pool.inject(Decimal("100.00")).price_after > sale.price_after
True
>>> refund = pool.burn(Decimal("10"), max_refund=Decimal("5.00"))
>>> refund.money, refund.price_after >= refund.price_before
(Decimal('5.00'), True)

Points that paid for goods come back as points when the goods are returned: the value
re-enters the pool and mints at the current price, so the price does not move:

>>> pool = Pool(PoolParams(), balance=Decimal("1200.00"), points=Decimal("594.4050"))
>>> paid = pool.redeem(Decimal("100"))
>>> paid.money, pool.display_price
(Decimal('201.88'), Decimal('2.018831'))
>>> back = pool.restore(paid.money)
>>> back.points, pool.balance, pool.display_price, back.price_after >= back.price_before
(Decimal('99.9984'), Decimal('1200.00'), Decimal('2.018831'), True)
"""

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, localcontext

from .rounding import CONTEXT, POINT, PRICE, exact, last_price_up, money_down, money_half_up, points_down, to_decimal


class EngineError(ValueError):
    """Bad input to the engine; the Odoo layer raises a translated UserError first."""


@dataclass(frozen=True)
class PoolParams:
    mint_ratio: Decimal = Decimal("0.70")
    sell_fee_rate: Decimal = Decimal("0.20")
    exit_multiple: Decimal = Decimal("3.0")
    initial_price: Decimal = Decimal("1.00")
    redeem_fee_rate: Decimal = Decimal("0")
    #: Most points one contribution may mint; None means no cap.
    mint_cap: Decimal | None = None
    #: Decimal places of the pool currency.
    money_digits: int = 2

    def __post_init__(self):
        for name in ("mint_ratio", "sell_fee_rate", "exit_multiple", "initial_price", "redeem_fee_rate"):
            object.__setattr__(self, name, to_decimal(getattr(self, name)))
        if self.mint_cap is not None:
            object.__setattr__(self, "mint_cap", to_decimal(self.mint_cap))
        if not Decimal(0) < self.mint_ratio < Decimal(1):
            raise EngineError("the mint ratio must be between 0 and 1 (exclusive)")
        if not Decimal(0) <= self.sell_fee_rate < Decimal(1):
            raise EngineError("the sell fee rate must be at least 0 and below 1")
        if not Decimal(0) <= self.redeem_fee_rate < Decimal(1):
            raise EngineError("the redeem fee rate must be at least 0 and below 1")
        if self.exit_multiple < 0:
            raise EngineError("the exit multiple cannot be negative")
        if self.initial_price <= 0:
            raise EngineError("the initial price must be positive")
        if self.mint_cap is not None and self.mint_cap <= 0:
            raise EngineError("the mint cap must be positive")


@dataclass(frozen=True)
class Movement:
    """What one event did to the pool.

    ``points`` and ``money`` are the event's own amounts, always >= 0: points
    minted, sold, redeemed or burned; contribution, payout, redeem value,
    injection or refund. ``gross`` is the value of the points at the price
    before the event (sell, redeem, burn) and ``mint_value`` the value minted.
    """

    kind: str
    points: Decimal
    money: Decimal
    balance_before: Decimal
    balance_after: Decimal
    points_before: Decimal
    points_after: Decimal
    price_before: Decimal
    price_after: Decimal
    gross: Decimal = Decimal(0)
    mint_value: Decimal = Decimal(0)
    fee: Decimal = Decimal(0)

    @property
    def balance_delta(self):
        return self.balance_after - self.balance_before

    @property
    def points_delta(self):
        return self.points_after - self.points_before


@dataclass(frozen=True)
class SellQuote:
    """What selling ``points`` pays: ``gross`` value and ``fee`` rounded down, ``net`` = gross - fee."""

    points: Decimal
    gross: Decimal
    fee: Decimal
    net: Decimal


@dataclass
class Pool:
    """Pool state with the operations of SPEC §3.1.

    ``last_price`` is the price used while no points circulate: the initial
    price until the first mint, afterwards the price just before ``N`` fell to 0.
    """

    params: PoolParams = field(default_factory=PoolParams)
    balance: Decimal = Decimal("0")
    points: Decimal = Decimal("0")
    last_price: Decimal | None = None

    def __post_init__(self):
        self.balance = to_decimal(self.balance)
        self.points = to_decimal(self.points)
        self.last_price = to_decimal(self.last_price) if self.last_price else self.params.initial_price

    # -- price ---------------------------------------------------------------
    @property
    @exact
    def price(self):
        """Exact price P / N (60 significant digits), or the last price when N = 0."""
        if self.points > 0:
            return self.balance / self.points
        return self.last_price

    @property
    def display_price(self):
        return self.price.quantize(PRICE, rounding=ROUND_HALF_UP, context=CONTEXT)

    @exact
    def value_of(self, points):
        """Gross value of ``points`` at the current price, unrounded."""
        if self.points > 0:
            return to_decimal(points) * self.balance / self.points
        return to_decimal(points) * self.last_price

    @exact
    def points_for_amount(self, amount):
        """Fewest points whose redeem value (less the redeem fee) reaches ``amount``; None if none circulate.

        >>> pool = Pool(PoolParams(), balance=Decimal("1038.50"), points=Decimal("494.4050"))
        >>> pool.points_for_amount(Decimal("100.00"))
        Decimal('47.6077')
        >>> pool.redeem_value(Decimal("47.6077")), pool.redeem_value(Decimal("47.6076"))
        (Decimal('100.00'), Decimal('99.99'))
        """
        amount = to_decimal(amount)
        if amount <= 0:
            return Decimal(0)
        if self.points <= 0:
            return None
        unit = self.balance * (1 - self.params.redeem_fee_rate)
        return (amount * self.points / unit).quantize(POINT, rounding=ROUND_CEILING, context=CONTEXT)

    @exact
    def redeem_value(self, points):
        """What ``points`` pay for goods at the current price, less the redeem fee, rounded down."""
        points = to_decimal(points)
        if points <= 0 or self.points <= 0:
            return Decimal(0)
        return money_down(self.value_of(points) * (1 - self.params.redeem_fee_rate), self.params.money_digits)

    def sell_quote(self, points, strict=True):
        """What selling ``points`` would pay now, the pool unchanged: a :class:`SellQuote` rounded as
        :meth:`sell` rounds (the previews of the sell wizard, the portal and the API).

        With ``strict``, refuses what :meth:`sell` refuses (points not positive, more than 4
        decimals, more than circulate); without, quotes any amount at the current price.

        >>> pool = Pool(PoolParams(), balance=Decimal("1200.00"), points=Decimal("594.4050"))
        >>> pool.sell_quote(Decimal("100"))
        SellQuote(points=Decimal('100'), gross=Decimal('201.88'), fee=Decimal('40.38'), net=Decimal('161.50'))
        >>> pool.sell_quote(Decimal("1000"), strict=False).net, pool.sell(Decimal("100")).money
        (Decimal('1615.06'), Decimal('161.50'))
        >>> pool.sell_quote(Decimal("1000"))
        Traceback (most recent call last):
        ...
        odoo.addons.points_engine.pool.EngineError: cannot take out more points than circulate
        """
        with localcontext(CONTEXT):
            points = self._points(points) if strict else to_decimal(points)
            if strict and points > self.points:
                raise EngineError("cannot take out more points than circulate")
            gross, money, fee = self._split_value(points, self.params.sell_fee_rate)
            return SellQuote(points, money_down(gross, self.params.money_digits), fee, money)

    # -- operations ----------------------------------------------------------
    @exact
    def contribute(self, contribution, mint_ratio=None):
        """Contribution C enters the pool and mints n = C x mint ratio x N / P points.

        ``mint_ratio`` overrides the pool's for this contribution (a product category's or a
        store's ratio); the whole contribution enters the pool either way:

        >>> pool = Pool(PoolParams())
        >>> pool.contribute(Decimal("300.00"), mint_ratio=Decimal("0.50")).points
        Decimal('150.0000')
        >>> movement = pool.contribute(Decimal("300.00"))
        >>> movement.mint_value, movement.points, pool.balance
        (Decimal('210.00'), Decimal('105.0000'), Decimal('600.00'))
        >>> pool.contribute(Decimal("300.00"), mint_ratio=Decimal("1"))
        Traceback (most recent call last):
        ...
        odoo.addons.points_engine.pool.EngineError: the mint ratio must be between 0 and 1 (exclusive)
        """
        contribution = self._positive_money(contribution, "contribution")
        ratio = self.params.mint_ratio if mint_ratio is None else to_decimal(mint_ratio)
        if not Decimal(0) < ratio < Decimal(1):
            raise EngineError("the mint ratio must be between 0 and 1 (exclusive)")
        mint_value = money_half_up(contribution * ratio, self.params.money_digits)
        if self.points > 0:
            minted = points_down(mint_value * self.points / self.balance)
        else:
            minted = points_down(mint_value / self.last_price)
        if self.params.mint_cap is not None:
            minted = min(minted, self.params.mint_cap)
        return self._apply("contribute", contribution, minted, contribution, minted, mint_value=mint_value)

    @exact
    def sell(self, points):
        """Sells ``points`` for their value less the sell fee; the fee stays in the pool."""
        return self._take_out("sell", points, self.params.sell_fee_rate)

    @exact
    def redeem(self, points):
        """Uses ``points`` as payment: their value less the redeem fee leaves the pool."""
        return self._take_out("redeem", points, self.params.redeem_fee_rate)

    @exact
    def restore(self, value):
        """The reversal of a redemption (goods paid with points returned): ``value`` re-enters the pool
        and mints n = value x N / P points, rounded down, so the price never falls."""
        value = self._positive_money(value, "restored value")
        if self.points > 0:
            minted = points_down(value * self.points / self.balance)
        else:
            minted = points_down(value / self.last_price)
        return self._apply("restore", value, minted, value, minted)

    @exact
    def inject(self, amount):
        """Money enters the pool without points (financing, subsidy)."""
        amount = self._positive_money(amount, "injection")
        return self._apply("inject", amount, Decimal(0), amount, Decimal(0))

    @exact
    def burn(self, points, max_refund):
        """Burns ``points`` without fee for a refund; returns min(max_refund, value) to the company."""
        points = self._points(points, allow_zero=True)
        if points > self.points:
            raise EngineError("cannot burn more points than circulate")
        max_refund = money_down(to_decimal(max_refund), self.params.money_digits)
        if max_refund < 0:
            raise EngineError("the refund cap cannot be negative")
        gross = self.value_of(points) if self.points > 0 else Decimal(0)
        refund = min(max_refund, money_down(gross, self.params.money_digits))
        return self._apply("burn", -refund, -points, refund, points, gross=gross)

    # -- helpers -------------------------------------------------------------
    def _take_out(self, kind, points, fee_rate):
        points = self._points(points)
        if points > self.points:
            raise EngineError("cannot take out more points than circulate")
        gross, money, fee = self._split_value(points, fee_rate)
        return self._apply(kind, -money, -points, money, points, gross=gross, fee=fee)

    def _split_value(self, points, fee_rate):
        """(gross value unrounded, what the member gets rounded down, the fee): SPEC §3.2, the pool keeps the
        rounding."""
        gross = self.value_of(points)
        money = money_down(gross * (1 - fee_rate), self.params.money_digits)
        return gross, money, money_down(gross, self.params.money_digits) - money

    def _apply(self, kind, balance_delta, points_delta, money, points, **extra):
        before = (self.balance, self.points, self.price)
        self.balance += balance_delta
        self.points += points_delta
        if self.points == 0 and before[1] > 0:
            # Keep the price rounded up so the next mint can never mint too many.
            self.last_price = max(self.last_price, last_price_up(before[2]))
        if "gross" in extra:
            extra["gross"] = money_down(extra["gross"], self.params.money_digits)
        return Movement(
            kind=kind,
            points=points,
            money=money,
            balance_before=before[0],
            balance_after=self.balance,
            points_before=before[1],
            points_after=self.points,
            price_before=before[2],
            price_after=self.price,
            **extra,
        )

    def _positive_money(self, amount, what):
        amount = money_half_up(to_decimal(amount), self.params.money_digits)
        if amount <= 0:
            raise EngineError(f"the {what} must be positive")
        return amount

    @staticmethod
    def _points(points, allow_zero=False):
        points = to_decimal(points)
        if points != points_down(points):
            raise EngineError("points have at most 4 decimals")
        if points < 0 or (points == 0 and not allow_zero):
            raise EngineError("the number of points must be positive")
        return points
