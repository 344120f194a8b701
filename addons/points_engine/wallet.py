"""A member's cash balance: the refund debt and the withdrawal fee.

The cash balance may go below zero only through a refund or a clawback that takes more than
the member holds: the negative part is the member's debt, and withdrawals and cash transfers
wait until it is paid.

>>> cash_debt(Decimal("-12.50")), cash_debt(Decimal("40.00"))
(Decimal('12.50'), Decimal('0'))

Taking 100.00 from a balance of 30.00 leaves a debt of 70.00; taking 20.00 more adds 20.00;
paying 90.00 back clears it (the debt shrinks, it never grows):

>>> debt_growth(Decimal("30.00"), Decimal("-100.00"))
Decimal('70.00')
>>> debt_growth(Decimal("-70.00"), Decimal("-20.00"))
Decimal('20.00')
>>> debt_growth(Decimal("-90.00"), Decimal("90.00"))
Decimal('-90.00')

A withdrawal of 100.00 at a 1.5% fee pays 98.50; the member's part rounds down (SPEC §3.2):

>>> withdrawal_split(Decimal("100.00"), Decimal("0.015"))
(Decimal('1.50'), Decimal('98.50'))
>>> withdrawal_split(Decimal("10.01"), Decimal("0.01"))
(Decimal('0.11'), Decimal('9.90'))
"""

from decimal import Decimal

from .rounding import money_down, to_decimal

ZERO = Decimal(0)


def cash_debt(cash):
    """The debt a cash balance of ``cash`` shows: its negative part."""
    return max(-to_decimal(cash), ZERO)


def debt_growth(cash, delta):
    """How much a movement of ``delta`` on a cash balance of ``cash`` adds to the debt (negative: pays it).

    The ledger row of a refund or a clawback keeps it; the wallet's :func:`cash_debt` is the figure that counts.
    """
    cash = to_decimal(cash)
    return cash_debt(cash + to_decimal(delta)) - cash_debt(cash)


def withdrawal_split(amount, fee_rate, money_digits=2):
    """(fee, net) of a withdrawal of ``amount``: the member's part rounded down, the fee is the rest."""
    amount = to_decimal(amount)
    net = money_down(amount * (1 - to_decimal(fee_rate)), money_digits)
    return amount - net, net
