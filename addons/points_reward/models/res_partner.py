from odoo import _, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    points_recruiter_id = fields.Many2one(
        "res.partner", string="Recruited By", index="btree_not_null",
        help="Promoter who recruited this store; earns the merchant recruitment rewards on its turnover.")
    reward_count = fields.Integer(compute="_compute_reward_figures", groups="points_pool.group_points_user")
    reward_frozen_total = fields.Monetary("Frozen Rewards", compute="_compute_reward_figures",
                                          groups="points_pool.group_points_user")
    reward_available_total = fields.Monetary("Released Rewards", compute="_compute_reward_figures",
                                             groups="points_pool.group_points_user")

    def _compute_reward_figures(self):
        groups = self.env["points.reward"]._read_group(
            [("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id)],
            ["partner_id", "state"], ["__count", "net_amount:sum"])
        figures = {}
        for partner, state, count, total in groups:
            figures.setdefault(partner.id, {})[state] = (count, total)
        for partner in self:
            mine = figures.get(partner.id, {})
            partner.reward_count = sum(count for count, _total in mine.values())
            partner.reward_frozen_total = mine.get("frozen", (0, 0.0))[1]
            partner.reward_available_total = mine.get("available", (0, 0.0))[1]

    def action_open_rewards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_reward.points_reward_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"search_default_group_rule": 1}
        return action

    def action_open_reward_statement(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "points.reward.statement.wizard", "view_mode": "form",
            "target": "new", "name": _("Reward Statement"), "context": {"default_partner_id": self.id},
        }
