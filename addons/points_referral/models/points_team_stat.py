from odoo import fields, models
from odoo.tools import SQL


class PointsTeamStat(models.Model):
    """A member's own and team figures in one company, kept up to date incrementally.

    A paid order line adds its amount to the buyer's own spend and to the team volume
    of each ancestor (one upsert along the materialized path); a refund takes back its
    share; moving a subtree moves its volume from the old ancestors to the new ones.
    Nothing ever re-reads the downline.
    """

    _name = "points.team.stat"
    _description = "Team Statistics"
    _order = "team_volume desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Member", required=True, readonly=True, index=True,
                                 ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    referrer_id = fields.Many2one(related="partner_id.referrer_id", string="Referrer")
    own_spend = fields.Monetary(readonly=True)
    own_order_count = fields.Integer("Own Orders", readonly=True)
    team_volume = fields.Monetary(readonly=True, help="Spend of the whole downline.")
    team_order_count = fields.Integer("Team Orders", readonly=True)
    team_size = fields.Integer(related="partner_id.referral_team_size")
    direct_count = fields.Integer(related="partner_id.referral_direct_count")

    _sql_constraints = [
        ("partner_company_uniq", "unique(partner_id, company_id)", "One statistics row per member and company."),
    ]

    def _add_order(self, buyer, company, amount, orders=0, thresholds=()):
        """Adds a paid (or, negative, refunded) ``amount`` to the buyer and its ancestors: one statement.

        Returns the ids of the ancestors whose team volume crossed one of ``thresholds``
        (the rank conditions worth checking again).
        """
        buyer._referral_lock_tree(shared=True)
        self.flush_model()
        path = buyer._referral_path()
        self.env.cr.execute(SQL(
            """WITH changed AS (
                   INSERT INTO points_team_stat AS stat (partner_id, company_id, own_spend, own_order_count,
                                                         team_volume, team_order_count,
                                                         create_uid, write_uid, create_date, write_date)
                   SELECT node.id, %(company)s,
                          CASE WHEN node.id = %(buyer)s THEN %(amount)s ELSE 0 END,
                          CASE WHEN node.id = %(buyer)s THEN %(orders)s ELSE 0 END,
                          CASE WHEN node.id = %(buyer)s THEN 0 ELSE %(amount)s END,
                          CASE WHEN node.id = %(buyer)s THEN 0 ELSE %(orders)s END,
                          %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                     FROM unnest(%(path)s::int4[]) AS node(id)
                   ON CONFLICT (partner_id, company_id) DO UPDATE SET
                          own_spend = stat.own_spend + EXCLUDED.own_spend,
                          own_order_count = stat.own_order_count + EXCLUDED.own_order_count,
                          team_volume = stat.team_volume + EXCLUDED.team_volume,
                          team_order_count = stat.team_order_count + EXCLUDED.team_order_count,
                          write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                   RETURNING stat.partner_id, stat.team_volume)
               SELECT partner_id FROM changed
                WHERE partner_id != %(buyer)s
                  AND EXISTS (SELECT 1 FROM unnest(%(thresholds)s::numeric[]) AS threshold(value)
                               WHERE changed.team_volume - %(amount)s < threshold.value
                                 AND changed.team_volume >= threshold.value)""",
            company=company.id, buyer=buyer.id, amount=amount, orders=orders, uid=self.env.uid, path=path,
            thresholds=list(thresholds)))
        crossed = [row[0] for row in self.env.cr.fetchall()]
        self.invalidate_model()
        return self.env["res.partner"].browse(crossed)

    def _move_volume(self, partner, old_ancestors, new_ancestors):
        """The subtree of ``partner`` leaves ``old_ancestors`` for ``new_ancestors``, in every company."""
        self.flush_model()
        self.env.cr.execute(SQL(
            """SELECT company_id, own_spend + team_volume, own_order_count + team_order_count
                 FROM points_team_stat WHERE partner_id = %s""", partner.id))
        for company_id, volume, orders in self.env.cr.fetchall():
            if old_ancestors:
                self.env.cr.execute(SQL(
                    """UPDATE points_team_stat
                          SET team_volume = team_volume - %s, team_order_count = team_order_count - %s
                        WHERE company_id = %s AND partner_id = ANY(%s)""",
                    volume, orders, company_id, old_ancestors))
            if new_ancestors:
                self.env.cr.execute(SQL(
                    """INSERT INTO points_team_stat AS stat (partner_id, company_id, own_spend, own_order_count,
                                                             team_volume, team_order_count,
                                                             create_uid, write_uid, create_date, write_date)
                       SELECT node.id, %(company)s, 0, 0, %(volume)s, %(orders)s,
                              %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                         FROM unnest(%(ids)s::int4[]) AS node(id)
                       ON CONFLICT (partner_id, company_id) DO UPDATE SET
                              team_volume = stat.team_volume + EXCLUDED.team_volume,
                              team_order_count = stat.team_order_count + EXCLUDED.team_order_count""",
                    company=company_id, volume=volume, orders=orders, uid=self.env.uid, ids=new_ancestors))
        self.invalidate_model()
