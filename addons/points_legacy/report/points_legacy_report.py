from odoo import fields, models, tools
from odoo.tools import SQL


class PointsLegacyReport(models.Model):
    """What remains owed per legacy member: payable, consumption balance, spend, points released and their value.

    A view over the legacy members and the ledger (the one record of movements): nothing here is stored twice.
    The value of the points released is at today's price (the pool's balance row).
    """

    _name = "points.legacy.report"
    _description = "Legacy Members: What Remains Owed"
    _auto = False
    _order = "remaining desc, id"
    _rec_name = "partner_id"

    member_id = fields.Many2one("points.legacy.member", "Legacy Member", readonly=True)
    partner_id = fields.Many2one("res.partner", "Member", readonly=True)
    pool_id = fields.Many2one("points.pool", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="pool_id.currency_id")
    legacy_ref = fields.Char("Legacy ID", readonly=True)
    import_ref = fields.Char("Import", readonly=True)
    payable = fields.Monetary("Legacy Payable", readonly=True, aggregator="sum")
    balance = fields.Monetary("Consumption Balance", readonly=True, aggregator="sum")
    spent = fields.Monetary("Spent", readonly=True, aggregator="sum")
    released_points = fields.Float("Points Released", digits=(16, 4), readonly=True, aggregator="sum")
    released_value = fields.Monetary("Value Released", readonly=True, aggregator="sum",
                                     help="The points released at today's price.")
    remaining = fields.Monetary("Still Owed", readonly=True, aggregator="sum",
                                help="The payable less the value of the points released, never below zero.")
    covered = fields.Boolean("Covered", readonly=True, help="The points released are worth the payable.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            """CREATE VIEW %s AS (
               SELECT member.id, member.id AS member_id, member.partner_id, member.pool_id, member.company_id,
                      member.legacy_ref, member.import_ref, member.payable,
                      COALESCE(moves.balance, 0) AS balance, COALESCE(moves.spent, 0) AS spent,
                      COALESCE(released.points, 0) AS released_points,
                      round(COALESCE(released.points, 0) * state.price, 2) AS released_value,
                      GREATEST(member.payable - round(COALESCE(released.points, 0) * state.price, 2), 0) AS remaining,
                      member.payable <= round(COALESCE(released.points, 0) * state.price, 2) AS covered
                 FROM points_legacy_member member
                 JOIN (SELECT pool_id, CASE WHEN circulating_points > 0 THEN balance / circulating_points
                                            ELSE last_price END AS price
                         FROM points_pool_state) state ON state.pool_id = member.pool_id
            LEFT JOIN (SELECT legacy_member_id, sum(legacy_delta) AS balance,
                              sum(CASE event WHEN 'legacy_spend' THEN amount WHEN 'legacy_refund' THEN -amount
                                  ELSE 0 END) AS spent
                         FROM points_ledger WHERE legacy_member_id IS NOT NULL
                        GROUP BY legacy_member_id) moves ON moves.legacy_member_id = member.id
            LEFT JOIN (SELECT release.member_id, sum(ledger.points_delta) AS points
                         FROM points_ledger ledger
                         JOIN points_legacy_release release ON release.id = ledger.source_id
                        WHERE ledger.source_model = 'points.legacy.release' AND ledger.event = 'contribute'
                        GROUP BY release.member_id) released ON released.member_id = member.id
            )""", SQL.identifier(self._table)))
