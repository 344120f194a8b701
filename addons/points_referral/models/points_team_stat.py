from odoo import fields, models
from odoo.tools import SQL


class PointsTeamStat(models.Model):
    """A member's own and team figures in one company, kept up to date incrementally.

    A paid order line adds its amount to the buyer's own spend and to the team volume
    of each ancestor (one upsert along the materialized path, by the pool's sequencer: see
    ``points.team.stat.delta``); a refund takes back its share; moving a subtree moves its
    volume from the old ancestors to the new ones. Nothing ever re-reads the downline.
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

    def _add_order(self, buyer, company, amount, orders=0):
        """Records that a paid (or, negative, refunded) ``amount`` adds to the buyer's and its ancestors' figures.

        Insert only: the sequencer of the company's pool adds it along the referral path
        (:meth:`_apply_deltas`), at once when the pool is free, else right after the commit.
        """
        self.env["points.team.stat.delta"].sudo().create({
            "partner_id": buyer.id, "company_id": company.id, "amount": float(amount), "orders": orders})
        self.env["points.pool"].sudo()._get_for_company(company)._apply_soon()

    def _apply_deltas(self, company):
        """Adds the pending changes of ``company`` to the buyers and their ancestors; upgrades ranks.

        Called by the pool's sequencer under the pool lock: one statement takes the changes and
        adds them along each buyer's materialized path (the downline is never read), then the
        members whose team volume crossed a rank's threshold (and the buyers) are checked for an
        upgrade. Returns the members whose figures changed.
        """
        cr = self.env.cr
        cr.execute(SQL("SELECT 1 FROM points_team_stat_delta WHERE company_id = %s LIMIT 1", company.id))
        if not cr.fetchone():
            return self.env["res.partner"]
        self.env["points.referral.node"]._lock_tree(shared=True)
        self.flush_model()
        Rank = self.env["points.rank"].sudo()
        thresholds = Rank.search([("company_id", "=", company.id), ("auto_upgrade", "=", True),
                                  ("min_team_volume", ">", 0)]).mapped("min_team_volume")
        cr.execute(SQL(
            """WITH taken AS (
                   DELETE FROM points_team_stat_delta WHERE company_id = %(company)s
                   RETURNING partner_id AS buyer, amount, orders),
               spread AS (
                   SELECT member.id,
                          sum(CASE WHEN member.id = taken.buyer THEN taken.amount ELSE 0 END) AS own_spend,
                          sum(CASE WHEN member.id = taken.buyer THEN taken.orders ELSE 0 END) AS own_orders,
                          sum(CASE WHEN member.id = taken.buyer THEN 0 ELSE taken.amount END) AS team_volume,
                          sum(CASE WHEN member.id = taken.buyer THEN 0 ELSE taken.orders END) AS team_orders,
                          bool_or(member.id = taken.buyer) AS is_buyer
                     FROM taken
                     LEFT JOIN points_referral_node node ON node.partner_id = taken.buyer
                    CROSS JOIN unnest(COALESCE(node.path, ARRAY[taken.buyer])) AS member(id)
                    GROUP BY member.id),
               changed AS (
                   INSERT INTO points_team_stat AS stat (partner_id, company_id, own_spend, own_order_count,
                                                         team_volume, team_order_count,
                                                         create_uid, write_uid, create_date, write_date)
                   SELECT spread.id, %(company)s, spread.own_spend, spread.own_orders, spread.team_volume,
                          spread.team_orders, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                     FROM spread ORDER BY spread.id
                   ON CONFLICT (partner_id, company_id) DO UPDATE SET
                          own_spend = stat.own_spend + EXCLUDED.own_spend,
                          own_order_count = stat.own_order_count + EXCLUDED.own_order_count,
                          team_volume = stat.team_volume + EXCLUDED.team_volume,
                          team_order_count = stat.team_order_count + EXCLUDED.team_order_count,
                          write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                   RETURNING stat.partner_id, stat.team_volume)
               SELECT changed.partner_id, spread.is_buyer
                      OR EXISTS (SELECT 1 FROM unnest(%(thresholds)s::numeric[]) AS threshold(value)
                                  WHERE changed.team_volume - spread.team_volume < threshold.value
                                    AND changed.team_volume >= threshold.value)
                 FROM changed JOIN spread ON spread.id = changed.partner_id""",
            company=company.id, uid=self.env.uid, thresholds=list(thresholds)))
        result = cr.fetchall()
        self.invalidate_model()
        Partner = self.env["res.partner"]
        Partner.invalidate_model(["referral_team_volume", "referral_team_order_count"])
        to_check = Partner.browse([partner_id for partner_id, check in result if check])
        if to_check:
            Rank._upgrade_members(to_check, company, trigger="order")
        return Partner.browse([partner_id for partner_id, _check in result])

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
