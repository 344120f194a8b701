from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression


class PointsChainMember(models.Model):
    """Teams as a tree of chain rows, for the back office: each row sits below the row of its team boss.

    Nothing is stored: the parent is read from ``team_boss_id`` (a partner) when shown, so the team
    rules keep writing only the rows they already write.
    """

    _inherit = "points.chain.member"

    team_parent_id = fields.Many2one("points.chain.member", string="Team Boss Row", compute="_compute_team_tree",
                                     search="_search_team_parent_id")
    team_member_ids = fields.One2many("points.chain.member", string="Team", compute="_compute_team_tree")

    def _compute_team_tree(self):
        Member = self.sudo()
        programs = self.program_id.ids
        bosses = {(row.program_id.id, row.partner_id.id): row.id for row in Member.search(
            [("program_id", "in", programs), ("partner_id", "in", self.team_boss_id.ids)])}
        teams = {}
        for row in Member.search([("program_id", "in", programs), ("team_boss_id", "in", self.partner_id.ids)],
                                 order="id"):
            teams.setdefault((row.program_id.id, row.team_boss_id.id), []).append(row.id)
        for member in self:
            member.team_parent_id = self.browse(bosses.get((member.program_id.id, member.team_boss_id.id)))
            member.team_member_ids = self.browse(teams.get((member.program_id.id, member.partner_id.id), []))

    def _search_team_parent_id(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(_("Unsupported search on the team boss row: %s.", operator))
        values = value if isinstance(value, (list, tuple)) else [value]
        ids = [v for v in values if v]
        domains = []
        if len(ids) < len(values):
            domains.append([("team_boss_id", "=", False)])
        by_program = {}
        for boss in self.sudo().browse(ids).exists():
            by_program.setdefault(boss.program_id.id, []).append(boss.partner_id.id)
        domains += [[("program_id", "=", program), ("team_boss_id", "in", partners)]
                    for program, partners in by_program.items()]
        domain = expression.OR(domains) if domains else expression.FALSE_DOMAIN
        return domain if operator in ("=", "in") else ["!", *expression.normalize_domain(domain)]

    @api.model
    def hierarchy_read(self, domain, fields, parent_field, child_field=None, order=None):
        """In the team view of a boss the boss is the root: its own team boss and that one's team stay out."""
        result = super().hierarchy_read(domain, fields, parent_field, child_field=child_field, order=order)
        root = self.env.context.get("points_chain_team_root")
        if root and parent_field == "team_parent_id" and any(row["id"] == root for row in result):
            result = [row for row in result
                      if row["id"] == root or (row.get("team_parent_id") and row["team_parent_id"][0] == root)]
            for row in result:
                if row["id"] == root:
                    row["team_parent_id"] = False
        return result

    def _check_chain_staff(self):
        if not self.env.su and not self.env.user.has_group("points_pool.group_points_user"):
            raise AccessError(_("Only Points Users open the chain teams."))

    def action_open_team(self):
        """The team of this member as a tree: the member on top, its team below, the bosses in it with theirs."""
        self.ensure_one()
        self._check_chain_staff()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_chain.points_chain_team_hierarchy_action")
        action["domain"] = [("id", "=", self.id)]
        action["context"] = {"points_chain_team_root": self.id}
        action["display_name"] = _("Team of %s", self.partner_id.display_name)
        return action

    def action_open_team_list(self):
        """The members whose team boss is this member, in this member's program."""
        self.ensure_one()
        self._check_chain_staff()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_chain.points_chain_team_list_action")
        action["domain"] = [("program_id", "=", self.program_id.id), ("team_boss_id", "=", self.partner_id.id)]
        action["display_name"] = _("Team of %s", self.partner_id.display_name)
        return action
