from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

MAX_RANKS = 9


class PointsRank(models.Model):
    """A member rank (VIP < 团长 < 合伙人 < 联创 < 董事 …) with its automatic upgrade conditions."""

    _name = "points.rank"
    _description = "Member Rank"
    _order = "company_id, level"

    name = fields.Char(required=True, translate=True)
    level = fields.Integer(required=True, default=1, help="Order of the rank: 1 is the lowest, 9 the highest.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    color = fields.Integer()
    auto_upgrade = fields.Boolean(
        "Automatic Upgrade", default=True,
        help="Members reaching the conditions are upgraded by the scheduled job and when an order is paid. "
             "Without conditions the rank is only given by hand.")
    condition_mode = fields.Selection(
        [("all", "All conditions"), ("any", "Any condition")], default="all", required=True,
        help="Whether a member needs every condition set below, or one of them.")
    min_own_spend = fields.Monetary("Own Spend", help="Lifetime spend of the member's own paid orders; 0 = no condition.")
    min_team_volume = fields.Monetary("Team Volume", help="Spend of the member's whole downline; 0 = no condition.")
    min_direct_count = fields.Integer("Direct Referees", help="Number of direct referees needed; 0 = no condition.")
    direct_rank_id = fields.Many2one(
        "points.rank", string="Of Rank", domain="[('company_id', '=', company_id), ('id', '!=', id)]",
        help="Direct referees only count from this rank up; empty: any member counts.")
    gift_product_ids = fields.Many2many(
        "product.product", string="Gift Packages",
        help="Buying one of these products (paid, not refunded) meets this condition.")
    member_count = fields.Integer(compute="_compute_member_count")
    history_ids = fields.One2many("points.rank.history", "new_rank_id", readonly=True)

    _sql_constraints = [
        ("level_uniq", "unique(company_id, level)", "Two ranks of a company cannot have the same level."),
        ("level_range", "CHECK(level BETWEEN 1 AND 9)", "Rank levels go from 1 to 9."),
    ]

    @api.depends("name", "level")
    def _compute_display_name(self):
        for rank in self:
            rank.display_name = rank.name or ""

    def _compute_member_count(self):
        Partner = self.env["res.partner"].sudo()
        for rank in self:
            rank.member_count = Partner.with_company(rank.company_id).search_count([("rank_id", "=", rank.id)])

    @api.constrains("company_id", "active")
    def _check_rank_count(self):
        for company in self.company_id:
            if self.search_count([("company_id", "=", company.id)]) > MAX_RANKS:
                raise ValidationError(_("A company has at most %s ranks.", MAX_RANKS))

    @api.constrains("min_own_spend", "min_team_volume", "min_direct_count")
    def _check_conditions(self):
        for rank in self:
            if rank.min_own_spend < 0 or rank.min_team_volume < 0 or rank.min_direct_count < 0:
                raise ValidationError(_("Upgrade conditions cannot be negative (0 means no condition)."))

    def action_open_members(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "res.partner", "view_mode": "list,form",
            "name": _("Members of rank %s", self.name), "domain": [("rank_id", "=", self.id)],
            "context": {"allowed_company_ids": self.company_id.ids},
        }

    # -- members' ranks ------------------------------------------------------------------------
    def _assign_to(self, partners, company=None, trigger="manual", note=None):
        """Gives ``partners`` this rank (none when empty) in ``company`` (default: the current one) and records
        each change in the rank history; a manual change needs a Points Manager."""
        company = company or self.env.company
        if trigger == "manual":
            self.env["points.referral.node"]._check_staff(manager=True)
        if self and self.company_id != company:
            raise UserError(_("The rank %(rank)s belongs to %(company)s.", rank=self.display_name,
                              company=self.company_id.name))
        history = self.env["points.rank.history"]
        for partner in partners.sudo().with_company(company):
            old = partner.rank_id
            if old == self:
                continue
            partner.with_context(points_referral_internal=True).rank_id = self
            history |= history.sudo().create({
                "partner_id": partner.id, "company_id": company.id, "old_rank_id": old.id, "new_rank_id": self.id,
                "trigger": trigger, "note": note, "user_id": self.env.uid,
            })
        return history

    # -- upgrades ------------------------------------------------------------------------------
    def _conditions_met(self, partner, stat):
        """Whether ``partner`` (with its team statistics ``stat``, maybe empty) qualifies for this rank."""
        self.ensure_one()
        checks = []
        if self.min_own_spend:
            checks.append(lambda: stat.own_spend >= self.min_own_spend)
        if self.min_team_volume:
            checks.append(lambda: stat.team_volume >= self.min_team_volume)
        if self.min_direct_count:
            checks.append(lambda: self._direct_count(partner) >= self.min_direct_count)
        if self.gift_product_ids:
            checks.append(lambda: self._bought_gift(partner))
        if not checks:
            return False
        if self.condition_mode == "any":
            return any(check() for check in checks)
        return all(check() for check in checks)

    def _direct_count(self, partner):
        """Active direct referees of ``partner`` holding at least ``direct_rank_id`` in the rank's company."""
        if not self.direct_rank_id:
            return self.env["res.partner"].sudo().search_count([("referrer_id", "=", partner.id)])
        self.env["res.partner"].flush_model(["rank_id", "referrer_id", "active"])
        self.env.cr.execute(SQL(
            """SELECT count(*) FROM res_partner member
                 JOIN points_rank rank ON rank.id = (member.rank_id ->> %s)::int4
                WHERE member.referrer_id = %s AND member.active AND rank.active AND rank.level >= %s""",
            str(self.company_id.id), partner.id, self.direct_rank_id.level))
        return self.env.cr.fetchone()[0]

    def _bought_gift(self, partner):
        return bool(self.env["points.allocation"].sudo().search_count([
            ("partner_id", "=", partner.id), ("company_id", "=", self.company_id.id),
            ("product_id", "in", self.gift_product_ids.ids), ("reversed_ratio", "<", 1),
        ], limit=1))

    @api.model
    def _upgrade_members(self, partners, company, trigger="job"):
        """Upgrades each member to the highest rank they qualify for (never down).

        A member's upgrade may qualify its referrer (direct referees of a rank), so
        the referrers of upgraded members are checked in turn. Returns the history rows.
        """
        ranks = self.sudo().search([("company_id", "=", company.id), ("auto_upgrade", "=", True)],
                                   order="level desc")
        history = self.env["points.rank.history"]
        if not ranks:
            return history
        Stat = self.env["points.team.stat"].sudo()
        todo = partners.sudo()
        while todo:
            stats = {stat.partner_id: stat for stat in Stat.search(
                [("partner_id", "in", todo.ids), ("company_id", "=", company.id)])}
            upgraded = self.env["res.partner"]
            for partner in todo.with_company(company).sorted(lambda p: p.referral_depth, reverse=True):
                current = partner.rank_id
                stat = stats.get(partner, Stat)
                for rank in ranks:
                    if current and rank.level <= current.level:
                        break
                    if rank._conditions_met(partner, stat):
                        history |= rank._assign_to(partner, company, trigger=trigger)
                        upgraded |= partner
                        break
            todo = upgraded.referrer_id
        return history

    @api.model
    def _cron_upgrade_ranks(self, batch=2000):
        """Scheduled job: checks every member with team statistics, deepest first, in each company."""
        for company in self.sudo().search([("auto_upgrade", "=", True)]).company_id:
            Stat = self.env["points.team.stat"].sudo()
            offset = 0
            while True:
                stats = Stat.search([("company_id", "=", company.id)], order="id", limit=batch, offset=offset)
                if not stats:
                    break
                self._upgrade_members(stats.partner_id, company, trigger="job")
                offset += batch
