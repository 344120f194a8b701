from odoo import fields, models
from odoo.tools import SQL


class PointsPoolDay(models.Model):
    """The pool day by day, read from the ledger: flows of the day and closing figures (dashboard).

    Days are those of the company's time zone (its partner's), so that a day
    means the same to every operator of the company.
    """

    _name = "points.pool.day"
    _description = "Profit Pool Day"
    _auto = False
    _order = "date desc, pool_id"
    _rec_name = "date"
    _depends = {
        "points.ledger": ["pool_id", "company_id", "date", "event", "amount", "spend", "points_delta",
                          "balance_delta", "price_after", "balance_after", "points_after"],
        "res.company": ["partner_id"],
        "res.partner": ["tz"],
    }

    date = fields.Date(readonly=True)
    pool_id = fields.Many2one("points.pool", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    event_count = fields.Integer("Events", readonly=True)
    contribution_count = fields.Integer("Paid Orders", readonly=True)
    spend = fields.Monetary(readonly=True)
    contributions = fields.Monetary(readonly=True)
    points_minted = fields.Float(digits=(16, 4), readonly=True)
    sell_count = fields.Integer("Sales", readonly=True)
    sell_payouts = fields.Monetary("Sale Payouts", readonly=True)
    exit_count = fields.Integer("Forced Exits", readonly=True)
    exit_payouts = fields.Monetary("Forced-Exit Payouts", readonly=True)
    injections = fields.Monetary(readonly=True)
    redemptions = fields.Monetary(readonly=True)
    refunds = fields.Monetary(readonly=True, help="Money the pool returned for reversed contributions.")
    pool_movement = fields.Monetary(readonly=True, help="Change of the pool balance over the day.")
    # Closing figures: the price never falls, so its maximum over a period is the period's closing price.
    price = fields.Float("Closing Price", digits=(16, 6), readonly=True, aggregator="max")
    balance = fields.Monetary("Closing Pool Balance", readonly=True, aggregator="avg",
                              help="At the end of the day (the average over longer periods).")
    circulating_points = fields.Float("Closing Circulating Points", digits=(16, 4), readonly=True,
                                      aggregator="avg", help="At the end of the day (the average over longer periods).")

    @property
    def _table_query(self):
        def flow(expression, event):
            return SQL("COALESCE(sum(%s) FILTER (WHERE event = %s), 0)", SQL(expression), event)

        def count(event):
            return SQL("count(*) FILTER (WHERE event = %s)", event)

        return SQL(
            """
            WITH localized AS (
                SELECT l.id, l.pool_id, l.company_id, l.event, l.amount, l.spend, l.points_delta, l.balance_delta,
                       ((l.date AT TIME ZONE 'UTC') AT TIME ZONE COALESCE(NULLIF(p.tz, ''), 'UTC'))::date AS date
                  FROM points_ledger l
                  JOIN res_company c ON c.id = l.company_id
                  JOIN res_partner p ON p.id = c.partner_id
            ), days AS (
                SELECT pool_id, company_id, date, max(id) AS last_id, count(*) AS event_count,
                       %(contribution_count)s AS contribution_count, %(spend)s AS spend,
                       %(contributions)s AS contributions, %(points_minted)s AS points_minted,
                       %(sell_count)s AS sell_count, %(sell_payouts)s AS sell_payouts,
                       %(exit_count)s AS exit_count, %(exit_payouts)s AS exit_payouts,
                       %(injections)s AS injections, %(redemptions)s AS redemptions, %(refunds)s AS refunds,
                       sum(balance_delta) AS pool_movement
                  FROM localized
              GROUP BY pool_id, company_id, date
            )
            SELECT days.last_id AS id, days.date, days.pool_id, days.company_id, days.event_count,
                   days.contribution_count, days.spend, days.contributions, days.points_minted, days.sell_count,
                   days.sell_payouts, days.exit_count, days.exit_payouts, days.injections, days.redemptions,
                   days.refunds, days.pool_movement, last.price_after AS price, last.balance_after AS balance,
                   last.points_after AS circulating_points
              FROM days
              JOIN points_ledger last ON last.id = days.last_id
            """,
            contribution_count=count("contribute"), spend=flow("spend", "contribute"),
            contributions=flow("amount", "contribute"), points_minted=flow("points_delta", "contribute"),
            sell_count=count("sell"), sell_payouts=flow("amount", "sell"),
            exit_count=count("exit"), exit_payouts=flow("amount", "exit"),
            injections=flow("amount", "inject"),
            # Net of refunds of goods paid with points (their value came back into the pool as points).
            redemptions=SQL("%s - %s", flow("amount", "redeem"), flow("amount", "restore")),
            refunds=flow("amount", "reverse"),
        )
