from odoo import _, fields, models


class PointsPool(models.Model):
    _inherit = "points.pool"

    def _dashboard_today(self):
        """Today in the company's time zone: the day of ``points.pool.day`` that is still running."""
        tz = self.company_id.partner_id.tz or "UTC"
        return fields.Datetime.context_timestamp(self.with_context(tz=tz), fields.Datetime.now()).date()

    def _dashboard_cards(self):
        """Adds the change of the price since the last closing and today's flows (from ``points.pool.day``)."""
        cards = super()._dashboard_cards()
        today = self._dashboard_today()
        Day = self.env["points.pool.day"].with_company(self.company_id)
        day = Day.search([("pool_id", "=", self.id), ("date", "=", today)], limit=1)
        previous = Day.search([("pool_id", "=", self.id), ("date", "<", today)], order="date desc", limit=1)
        reference = previous.price or self.initial_price
        change = self.price - reference
        cards += [
            {"key": "price_change", "label": _("Price Change Today"), "value": change, "kind": "price",
             "sequence": 15, "signed": True,
             "detail": _("%(percent)s%% since the last closing price", percent=(
                 f"{change / reference * 100:+.2f}" if reference else "0.00"))},
            {"key": "contributions", "label": _("Contributions Today"), "value": day.contributions, "kind": "money",
             "sequence": 40, "detail": _("%(count)s paid orders", count=day.contribution_count)},
            {"key": "sells", "label": _("Sales Today"), "value": day.sell_payouts, "kind": "money",
             "sequence": 50, "detail": _("%(count)s sales of points", count=day.sell_count)},
            {"key": "exits", "label": _("Forced Exits Today"), "value": day.exit_payouts, "kind": "money",
             "sequence": 60, "detail": _("%(count)s forced exits", count=day.exit_count)},
        ]
        return cards
