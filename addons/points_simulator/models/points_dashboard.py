from datetime import timedelta

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_amount, format_date, formatLang

#: What Compare Runs can draw, day by day: ``points.simulation.day`` fields.
COMPARE_MEASURES = ("price", "balance", "circulating_points", "contributed", "payouts", "exits", "holders")


class PointsDashboard(models.AbstractModel):
    """Data of the Points dashboard and of Compare Runs, computed here; the Owl actions only draw them."""

    _name = "points.dashboard"
    _description = "Points Dashboard"

    @api.model
    def _check_dashboard_access(self):
        if not self.env.user.has_group("points_pool.group_points_user"):
            raise AccessError(_("Only Points Users may open the Points dashboard."))

    @api.model
    def get_dashboard_data(self, company_id=None, days=90):
        """KPI cards of the company's pool (``points.pool._dashboard_cards``) and its last ``days`` days.

        ``company_id`` must be one of the user's companies (the current one when not given)."""
        self._check_dashboard_access()
        if company_id and not isinstance(company_id, int) or not isinstance(days, int) or not 1 <= days <= 3660:
            raise UserError(_("The dashboard takes a company id and a number of days (1 to 3660)."))
        company = self.env["res.company"].browse(company_id) if company_id else self.env.company
        if company not in self.env.user.company_ids:
            raise AccessError(_("You may only open the Points dashboard of your own companies."))
        pool = self.env["points.pool"].with_company(company)._get_for_company(company)
        cards = sorted(pool._dashboard_cards(), key=lambda card: card.get("sequence", 100))
        for card in cards:
            card["display"] = self._format_card_value(card, pool.currency_id)
        today = pool._dashboard_today()
        rows = self.env["points.pool.day"].with_company(company).search(
            [("pool_id", "=", pool.id), ("date", ">", today - timedelta(days=days))], order="date")
        return {
            "company": {"id": company.id, "name": company.name},
            "pool": {"id": pool.id, "name": pool.display_name},
            "currency": pool.currency_id.symbol,
            "today": today.isoformat(),
            "cards": cards,
            "series": {
                "dates": [row.date.isoformat() for row in rows],
                "labels": [format_date(self.env, row.date) for row in rows],
                "price": [row.price for row in rows],
                "balance": [row.balance for row in rows],
                "circulating_points": [row.circulating_points for row in rows],
                "contributions": [row.contributions for row in rows],
                "payouts": [row.sell_payouts + row.exit_payouts for row in rows],
            },
        }

    @api.model
    def _format_card_value(self, card, currency):
        value, kind = card.get("value") or 0.0, card.get("kind")
        if kind == "money":
            return format_amount(self.env, value, currency)
        if kind == "count":
            return formatLang(self.env, value, digits=0)
        text = formatLang(self.env, value, digits=6 if kind == "price" else 4)
        return f"+{text}" if card.get("signed") and value > 0 else text

    @api.model
    def get_compare_data(self, simulation_ids=None, measure="price"):
        """Runs side by side, day by day: each run's line ends on its last day (``None`` after it, never 0).

        Without ``simulation_ids`` (None), the five latest runs of the user's companies."""
        self._check_dashboard_access()
        if measure not in COMPARE_MEASURES:
            raise UserError(_("Compare Runs cannot draw %s.", measure))
        if simulation_ids is not None and not (isinstance(simulation_ids, list)
                                   and all(isinstance(sid, int) for sid in simulation_ids)):
            raise UserError(_("Compare Runs takes a list of simulation ids."))
        Simulation = self.env["points.simulation"]
        runs_available = Simulation.search([("state", "=", "done")], limit=50)
        runs = Simulation.browse(simulation_ids).exists() if simulation_ids is not None else runs_available[:5]
        runs.check_access("read")
        Day = self.env["points.simulation.day"]
        fields_info = Day.fields_get(list(COMPARE_MEASURES), ["string"])
        rows = Day.search_read([("simulation_id", "in", runs.ids)], ["simulation_id", "day", measure])
        length = max((row["day"] for row in rows), default=0)
        series = {run.id: [None] * length for run in runs}
        for row in rows:
            series[row["simulation_id"][0]][row["day"] - 1] = row[measure]
        return {
            "measure": measure,
            "measures": [{"key": key, "label": fields_info[key]["string"]} for key in COMPARE_MEASURES],
            "labels": list(range(1, length + 1)),
            "runs": [{"id": run.id, "name": run.display_name, "data": series[run.id],
                      "days": sum(value is not None for value in series[run.id])} for run in runs],
            "available": [{"id": run.id, "name": run.display_name, "selected": run in runs}
                          for run in runs_available | runs],
        }
