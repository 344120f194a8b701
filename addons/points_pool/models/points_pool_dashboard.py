from odoo import _, models
from odoo.tools import SQL


class PointsPool(models.Model):
    _inherit = "points.pool"

    # -- dashboard -------------------------------------------------------------------
    def _dashboard_cards(self):
        """KPI cards of the pool's dashboard: a list of dicts ``key``, ``label``, ``value``, ``kind``
        (``money``, ``price``, ``points``, ``count``), ``sequence`` and optionally ``detail`` (a short line under
        the figure) and ``action`` (the XML id of a window action it opens). Modules keeping figures of their own
        (queued rebates, frozen rewards, withdrawals waiting…) add their cards by overriding this method."""
        self.ensure_one()
        return [
            {"key": "price", "label": _("Point Price"), "value": self.price, "kind": "price", "sequence": 10},
            {"key": "balance", "label": _("Profit Pool"), "value": self.balance, "kind": "money", "sequence": 20},
            {"key": "circulating_points", "label": _("Circulating Points"), "value": self.circulating_points,
             "kind": "points", "sequence": 30},
        ]

    # -- price chart (portal) -------------------------------------------------------
    def _price_chart_values(self, width=640, height=180, max_points=400):
        """Points of an SVG line of the price after each event (downsampled)."""
        self.env.cr.execute(SQL(
            "SELECT date, price_after FROM points_ledger WHERE pool_id = %s ORDER BY id", self.id))
        history = self.env.cr.fetchall()
        if len(history) > max_points:
            step = len(history) / max_points
            history = [history[int(i * step)] for i in range(max_points)] + [history[-1]]
        values = {"width": width, "height": height, "polyline": "", "low": 0.0, "high": 0.0,
                  "first": False, "last": False, "currency": self.currency_id}
        if len(history) < 2:
            return values
        prices = [price for _date, price in history]
        low, high = min(prices), max(prices)
        span = (high - low) or 1.0
        coordinates = [
            f"{index * width / (len(prices) - 1):.1f},{height - 10 - (price - low) * (height - 20) / span:.1f}"
            for index, price in enumerate(prices)
        ]
        values.update(polyline=" ".join(coordinates), low=low, high=high,
                      first=history[0][0], last=history[-1][0])
        return values
