from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.points_engine import PoolParams
from odoo.addons.points_engine.pool import EngineError
from odoo.addons.points_engine.rounding import money_half_up, to_decimal
from odoo.addons.points_engine.simulation import (
    Behaviour,
    Demand,
    Injection,
    Scenario,
    StartMember,
    StartState,
    simulate,
)

#: Most orders one run may place: about 40 s of engine time, within an HTTP request.
MAX_ORDERS = 1_000_000
#: Days of history the "start from the live pool" button estimates the demand from.
DEMAND_HISTORY_DAYS = 30
#: Most points a chart line draws (longer runs are downsampled).
CHART_POINTS = 400
#: Ledger events that put money into the pool (net of refunds) or pay it out to a member.
MONEY_IN_EVENTS = ("contribute", "reverse")
MONEY_OUT_EVENTS = ("sell", "exit", "redeem", "restore")  # restore: a redemption given back, net


class PointsSimulation(models.Model):
    """A scenario for the economy simulator and, once run, its results (SPEC §11).

    The run calls :func:`points_engine.simulation.simulate`: the production
    engine, in memory. Results are stored as one row per day and one per joining
    cohort so that runs can be kept, charted and compared.
    """

    _name = "points.simulation"
    _description = "Economy Simulation"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, default=lambda self: _("New simulation"))
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection([("draft", "Draft"), ("done", "Run")], default="draft", required=True, readonly=True)
    note = fields.Text("Notes")

    # Pool parameters
    mint_ratio = fields.Float("Mint Ratio", digits=(5, 4), default=0.70, required=True,
                              help="Share of each contribution minted as points for the buyer.")
    sell_fee_rate = fields.Float("Sell Fee", digits=(5, 4), default=0.20, required=True,
                                 help="Share of a sale's value that stays in the pool.")
    exit_multiple = fields.Float("Forced-Exit Multiple", digits=(6, 2), default=3.0, required=True,
                                 help="A member is forced out when the value got reaches this multiple of the "
                                      "cycle's spend. 0 turns forced exits off.")
    initial_price = fields.Float(digits=(16, 6), default=1.0, required=True,
                                 help="Price of the first points (ignored when starting from the live pool).")
    mint_cap = fields.Float("Mint Cap per Order", digits=(16, 4), help="Most points one order may mint; 0 means no cap.")

    # Demand
    orders_per_day = fields.Float(digits=(16, 2), default=100.0, required=True,
                                  help="Orders of new members on the first day; fractions carry over to the next day.")
    days = fields.Integer("Days to Simulate", default=90, required=True)
    order_size = fields.Monetary("Average Order", default=1000.0, required=True, help="Mean spend of an order.")
    size_distribution = fields.Selection(
        [("fixed", "Fixed"), ("uniform", "Uniform"), ("lognormal", "Log-normal"), ("exponential", "Exponential")],
        "Order Size Distribution", default="fixed", required=True)
    size_spread = fields.Float(
        "Order Size Spread", digits=(5, 4), default=0.5,
        help="Uniform: orders vary by this share around the average. Log-normal: coefficient of variation.")
    contribution_rate = fields.Float(digits=(5, 4), default=0.30, required=True,
                                     help="Share of an order's spend that goes into the pool (its pool bucket).")
    monthly_growth = fields.Float(digits=(6, 4), help="Growth of the orders per day every 30 days, e.g. 10%.")

    # Member behaviour
    seller_share = fields.Float(
        "Members Selling in Profit", digits=(5, 4), default=0.30,
        help="Share of the members who sell all their points as soon as their cycle is in profit; the others "
             "hold until they are forced out.")
    sell_at_multiple = fields.Float(
        "In Profit At", digits=(6, 2), default=1.0,
        help="A cycle is in profit when its payouts after the sell fee reach this multiple of its spend.")
    reentry_share = fields.Float(
        "Members Re-entering", digits=(5, 4), default=0.50,
        help="Share of the members forced out who place a new order the next day (re-entry); on top of the demand.")

    # Run options
    start_date = fields.Date(default=fields.Date.context_today, required=True,
                             help="Date of the first simulated day (dates of the result rows).")
    seed = fields.Integer(default=1, help="Seed of the random draws: the same seed gives the same run.")
    cohort_days = fields.Integer("Days per Cohort", default=30, required=True,
                                 help="Members who join within this many days form one cohort.")
    injection_ids = fields.One2many("points.simulation.injection", "simulation_id", "Injections", copy=True)

    # Starting point
    start_from_pool = fields.Boolean("Start from the Live Pool",
                                     help="Start from the pool's balance, points, price and members' cycles.")
    pool_id = fields.Many2one(related="company_id.points_pool_id", string="Live Pool")
    start_balance = fields.Monetary("Starting Pool Balance", readonly=True)
    start_points = fields.Float("Starting Circulating Points", digits=(16, 4), readonly=True)
    start_price = fields.Float("Starting Price", digits=(16, 6), readonly=True)
    start_members = fields.Integer("Starting Members", readonly=True)

    # Results
    day_ids = fields.One2many("points.simulation.day", "simulation_id", "Daily Results", readonly=True)
    cohort_ids = fields.One2many("points.simulation.cohort", "simulation_id", "Cohort Results", readonly=True)
    run_date = fields.Datetime("Run On", readonly=True)
    run_seconds = fields.Float("Run Time (s)", digits=(16, 2), readonly=True)
    result_orders = fields.Integer("Orders", readonly=True)
    result_new_members = fields.Integer("New Members", readonly=True)
    result_reentries = fields.Integer("Re-entries", readonly=True)
    result_sells = fields.Integer("Sales", readonly=True)
    result_exits = fields.Integer("Forced Exits", readonly=True)
    result_spend = fields.Monetary("Spend", readonly=True)
    result_contributed = fields.Monetary("Contributed", readonly=True)
    result_injected = fields.Monetary("Injected", readonly=True)
    result_paid_out = fields.Monetary("Paid Out", readonly=True)
    result_balance = fields.Monetary("Final Pool Balance", readonly=True)
    result_points = fields.Float("Final Circulating Points", digits=(16, 4), readonly=True)
    result_price = fields.Float("Final Price", digits=(16, 6), readonly=True)
    result_paid_cohorts = fields.Integer(
        "Cohorts Paid by Others", readonly=True,
        help="Cohorts that got more out (payouts and points still held) than they put in.")
    chart = fields.Html(compute="_compute_chart", sanitize=False)

    # -- computes ----------------------------------------------------------------
    @api.depends("day_ids", "cohort_ids")
    def _compute_chart(self):
        for simulation in self:
            simulation.chart = simulation.state == "done" and self.env["ir.qweb"]._render(
                "points_simulator.points_simulation_chart", simulation._chart_values())

    # -- constraints -----------------------------------------------------------------
    @api.constrains("mint_ratio", "sell_fee_rate", "exit_multiple", "initial_price", "mint_cap")
    def _check_parameters(self):
        for simulation in self:
            if not 0 < simulation.mint_ratio < 1:
                raise ValidationError(_("The mint ratio must be between 0 and 1 (both excluded)."))
            if not 0 <= simulation.sell_fee_rate < 1:
                raise ValidationError(_("The sell fee must be at least 0 and below 1."))
            if simulation.exit_multiple < 0 or simulation.mint_cap < 0:
                raise ValidationError(_("The forced-exit multiple and the mint cap cannot be negative (0 turns "
                                        "them off)."))
            if simulation.initial_price <= 0:
                raise ValidationError(_("The initial price must be positive."))

    @api.constrains("orders_per_day", "days", "order_size", "size_distribution", "size_spread", "contribution_rate",
                    "monthly_growth", "seller_share", "sell_at_multiple", "reentry_share", "cohort_days")
    def _check_scenario(self):
        for simulation in self:
            if simulation.orders_per_day < 0 or simulation.days < 1 or simulation.order_size <= 0:
                raise ValidationError(_("A simulation needs at least one day, no negative demand and a positive "
                                        "average order."))
            if simulation.size_spread < 0 or (simulation.size_distribution == "uniform" and simulation.size_spread > 1):
                raise ValidationError(_("The order size spread must be at least 0 (at most 1 for a uniform "
                                        "distribution)."))
            if not 0 < simulation.contribution_rate <= 1:
                raise ValidationError(_("The contribution rate must be above 0 and at most 1."))
            if simulation.monthly_growth <= -1:
                raise ValidationError(_("The monthly growth must be above -100%."))
            if not (0 <= simulation.seller_share <= 1 and 0 <= simulation.reentry_share <= 1):
                raise ValidationError(_("The shares of members selling and re-entering are between 0 and 1."))
            if simulation.sell_at_multiple <= 0:
                raise ValidationError(_("The multiple at which members are in profit must be positive."))
            if simulation.cohort_days < 1:
                raise ValidationError(_("A cohort spans at least one day."))

    # -- CRUD ------------------------------------------------------------------------
    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        return [dict(vals, name=self.env._("%s (copy)", simulation.name)) for simulation, vals in zip(self, vals_list)]

    # -- actions ---------------------------------------------------------------------
    def action_run(self):
        """Runs the scenario through the engine and stores the results (replacing earlier ones)."""
        self.check_access("write")
        for simulation in self:
            simulation._run()
        return True

    def action_reset(self):
        self.check_access("write")
        self.sudo().day_ids.unlink()
        self.sudo().cohort_ids.unlink()
        self.write({"state": "draft", "run_date": False})
        return True

    def action_start_from_live_pool(self):
        """Copies the live pool's parameters, state and recent demand into the scenario."""
        self.check_access("write")
        for simulation in self:
            pool = simulation._live_pool()
            vals = {
                "start_from_pool": True,
                "mint_ratio": pool.mint_ratio, "sell_fee_rate": pool.sell_fee_rate,
                "exit_multiple": pool.exit_multiple, "initial_price": pool.initial_price, "mint_cap": pool.mint_cap,
            }
            vals.update(simulation._live_snapshot_values(pool))
            vals.update(simulation._recent_demand_values(pool))
            simulation.write(vals)
        return True

    def action_open_price_graph(self):
        return self._open_results("points.simulation.day", _("Price and Pool"),
                                  "points_simulator.points_simulation_day_view_graph")

    def action_open_flow_graph(self):
        return self._open_results("points.simulation.day", _("Exits and Payouts"),
                                  "points_simulator.points_simulation_day_view_graph_flows")

    def action_open_cohort_graph(self):
        return self._open_results("points.simulation.cohort", _("Money In and Out by Cohort"),
                                  "points_simulator.points_simulation_cohort_view_graph")

    def _open_results(self, model, name, graph_view):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": f"{name}: {self.name}", "res_model": model,
            "view_mode": "graph,pivot,list",
            "views": [(self.env.ref(graph_view).id, "graph"), (False, "pivot"), (False, "list")],
            "domain": [("simulation_id", "=", self.id)],
            "context": {"search_default_simulation_id": self.id},
        }

    # -- running -----------------------------------------------------------------------
    def _run(self):
        self.ensure_one()
        self.check_access("write")
        scenario = self._scenario()
        expected = scenario.demand.expected_total()
        if expected > MAX_ORDERS:
            orders, most = format(round(expected), ","), format(MAX_ORDERS, ",")
            raise UserError(_("This scenario places about %(orders)s orders; the simulator runs at most %(max)s at "
                              "once. Shorten the period or lower the demand.", orders=orders, max=most))
        start = None
        if self.start_from_pool:
            pool = self._live_pool()
            start = self._live_start_state(pool)
            self.write(self._live_snapshot_values(pool, start))
        try:
            result = simulate(scenario, start=start)
        except EngineError as error:
            raise UserError(_("The simulator refused the scenario: %s", error)) from error
        self._store_result(result)

    def _live_pool(self):
        return self.env["points.pool"]._get_for_company(self.company_id)

    def _scenario(self):
        """The engine :class:`Scenario` of this record."""
        digits = self.currency_id.decimal_places
        try:
            return Scenario(
                params=PoolParams(
                    mint_ratio=to_decimal(self.mint_ratio), sell_fee_rate=to_decimal(self.sell_fee_rate),
                    exit_multiple=to_decimal(self.exit_multiple), initial_price=to_decimal(self.initial_price),
                    mint_cap=to_decimal(self.mint_cap) if self.mint_cap else None, money_digits=digits),
                demand=Demand(
                    orders_per_day=to_decimal(self.orders_per_day), days=self.days,
                    order_size=money_half_up(to_decimal(self.order_size), digits),
                    size_distribution=self.size_distribution, size_spread=to_decimal(self.size_spread),
                    contribution_rate=to_decimal(self.contribution_rate),
                    monthly_growth=to_decimal(self.monthly_growth)),
                behaviour=Behaviour(
                    seller_share=to_decimal(self.seller_share), sell_at_multiple=to_decimal(self.sell_at_multiple),
                    reentry_share=to_decimal(self.reentry_share)),
                injections=tuple(Injection(injection.day, money_half_up(to_decimal(injection.amount), digits))
                                 for injection in self.injection_ids),
                seed=self.seed, cohort_days=self.cohort_days,
            )
        except EngineError as error:
            raise UserError(_("The simulator refused the scenario: %s", error)) from error

    def _live_start_state(self, pool):
        """The live pool as a simulation start: its state, each wallet's cycle and money in and out so far."""
        pool.check_access("read")
        engine = pool._engine()
        wallets = self.env["points.wallet"].search([("pool_id", "=", pool.id)], order="id")
        flows = self.env["points.ledger"]._read_group(
            [("pool_id", "=", pool.id), ("wallet_id", "!=", False), ("event", "in", MONEY_IN_EVENTS + MONEY_OUT_EVENTS)],
            ["wallet_id", "event"], ["balance_delta:sum"])
        money_in, money_out = {}, {}
        for wallet, event, total in flows:
            if event in MONEY_IN_EVENTS:
                money_in[wallet.id] = money_in.get(wallet.id, 0.0) + total
            else:
                money_out[wallet.id] = money_out.get(wallet.id, 0.0) - total
        digits = pool.currency_id.decimal_places
        members = []
        for wallet in wallets:
            cycle = wallet._engine_cycle()
            members.append(StartMember(
                spend=cycle.spend, realized=cycle.realized, points=cycle.points,
                contributed=money_half_up(to_decimal(money_in.get(wallet.id, 0.0)), digits),
                paid_out=money_half_up(to_decimal(money_out.get(wallet.id, 0.0)), digits),
                lifetime_spend=money_half_up(to_decimal(wallet.lifetime_spend), digits)))
        return StartState(balance=engine.balance, points=engine.points, last_price=engine.last_price,
                          members=tuple(members))

    def _live_snapshot_values(self, pool, start=None):
        members = len(start.members) if start else self.env["points.wallet"].search_count([("pool_id", "=", pool.id)])
        return {"start_balance": pool.balance, "start_points": pool.circulating_points, "start_price": pool.price,
                "start_members": members}

    def _recent_demand_values(self, pool):
        """Orders per day, average order and contribution rate of the pool's last 30 days (if any)."""
        since = fields.Datetime.now() - timedelta(days=DEMAND_HISTORY_DAYS)
        count, spend, amount = self.env["points.ledger"]._read_group(
            [("pool_id", "=", pool.id), ("event", "=", "contribute"), ("date", ">=", since)],
            [], ["__count", "spend:sum", "amount:sum"])[0]
        if not count or not spend:
            return {}
        return {"orders_per_day": round(count / DEMAND_HISTORY_DAYS, 2), "order_size": spend / count,
                "contribution_rate": round(amount / spend, 4)}

    def _store_result(self, result):
        """Replaces the stored results by ``result`` (rows are written as superuser: users only read them)."""
        self.sudo().day_ids.unlink()
        self.sudo().cohort_ids.unlink()
        self.env["points.simulation.day"].sudo().create([
            self.env["points.simulation.day"]._values_from_result(self, day) for day in result.days])
        self.env["points.simulation.cohort"].sudo().create([
            self.env["points.simulation.cohort"]._values_from_result(self, cohort, len(result.cohorts))
            for cohort in result.cohorts])
        totals = result.totals
        self.write({
            "state": "done", "run_date": fields.Datetime.now(), "run_seconds": result.seconds,
            "result_orders": result.orders, "result_new_members": result.new_members,
            "result_reentries": result.reentries, "result_sells": result.sells, "result_exits": result.exits,
            "result_spend": float(sum((day.spend for day in result.days), 0)),
            "result_contributed": float(totals.contributed), "result_injected": float(totals.injected),
            "result_paid_out": float(totals.paid_out), "result_balance": float(result.balance),
            "result_points": float(result.points), "result_price": float(result.price),
            "result_paid_cohorts": sum(1 for cohort in result.cohorts if cohort.net > 0),
        })
        self.invalidate_recordset(["day_ids", "cohort_ids", "chart"])

    # -- chart -------------------------------------------------------------------------
    def _chart_values(self, width=300, height=80):
        """Geometry of the result charts: one line per daily series, two bars per cohort."""
        days = self.day_ids.sorted("day")
        if len(days) > CHART_POINTS:
            step = len(days) / CHART_POINTS
            days = days.browse([days[int(i * step)].id for i in range(CHART_POINTS)] + [days[-1].id])
        series = [
            (_("Price"), "price", ",.4f"),
            (_("Pool balance"), "balance", ",.0f"),
            (_("Circulating points"), "circulating_points", ",.0f"),
            (_("Forced exits per day"), "exits", ",.0f"),
            (_("Payouts per day"), "payouts", ",.0f"),
            (_("Orders per day"), "orders", ",.0f"),
        ]
        lines = []
        for label, field_name, number_format in series:
            values = days.mapped(field_name) or [0]
            lines.append(dict(label=label, polyline=_polyline(values, width, height),
                              low=format(min(values), number_format), high=format(max(values), number_format)))
        cohorts = self.cohort_ids.sorted("index")
        top = max([c.contributed for c in cohorts] + [c.paid_out + c.held_value for c in cohorts] + [1.0])
        slot = (2 * width) / max(len(cohorts), 1)
        bars = []
        for position, cohort in enumerate(cohorts):
            scale = (height * 1.5) / top
            bars.append(dict(
                name=cohort.name, label=str(cohort.index), x=position * slot + slot * 0.1, width=slot * 0.38,
                money_in=cohort.contributed * scale, paid_out=cohort.paid_out * scale,
                held=cohort.held_value * scale, paid_by_later=cohort.net > 0))
        return {"width": width, "height": height, "lines": lines, "bars": bars, "bar_height": height * 1.5,
                "bar_width": 2 * width, "first": days[:1].date, "last": days[-1:].date}


def _polyline(values, width, height, margin=4):
    """SVG polyline points of ``values`` scaled into a ``width`` x ``height`` box."""
    if not values:
        return ""
    if len(values) == 1:
        values = values * 2
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = width / (len(values) - 1)
    return " ".join(f"{index * step:.1f},{height - margin - (value - low) * (height - 2 * margin) / span:.1f}"
                    for index, value in enumerate(values))

