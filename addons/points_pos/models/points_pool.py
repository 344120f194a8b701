from decimal import ROUND_CEILING, localcontext

from odoo import models

from odoo.addons.points_engine.rounding import CONTEXT, POINT, money_down, money_half_up, to_decimal


class PointsPool(models.Model):
    _inherit = "points.pool"

    def _redeem_value(self, points, engine=None):
        """What ``points`` pay when redeemed at the (engine's) current price, as the engine rounds it."""
        engine = engine or self._engine()
        points = to_decimal(points)
        if points <= 0 or engine.points <= 0:
            return to_decimal(0)
        keep = 1 - engine.params.redeem_fee_rate
        return money_down(engine.value_of(points) * keep, self.currency_id.decimal_places)

    def _points_paying(self, amount, engine=None):
        """The fewest points whose redeem value is exactly ``amount``, or None when none is.

        A POS payment must be matched to the cent, since the session books the
        same amount on the customer's receivable. Points have 4 decimals, so an
        exact match exists whenever a point is worth less than 100.
        """
        engine = engine or self._engine()
        amount = money_half_up(to_decimal(amount), self.currency_id.decimal_places)
        if amount <= 0 or engine.points <= 0 or engine.balance <= 0:
            return None
        with localcontext(CONTEXT):
            # value = points x P / N x (1 - fee), solved for the points without rounding the price first.
            exact_points = amount * engine.points / (engine.balance * (1 - engine.params.redeem_fee_rate))
            points = exact_points.quantize(POINT, rounding=ROUND_CEILING)
        if self._redeem_value(points, engine) != amount:
            return None
        return points
