from odoo import models

from odoo.addons.points_engine.rounding import money_down, to_decimal


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
