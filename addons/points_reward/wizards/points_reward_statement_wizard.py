from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class PointsRewardStatementWizard(models.TransientModel):
    """Prints the reward statements of a period (one member's, or every beneficiary's) and exports the rewards."""

    _name = "points.reward.statement.wizard"
    _description = "Reward Statement"

    partner_id = fields.Many2one("res.partner", string="Member",
                                 help="Empty: a statement for every beneficiary with rewards in the period.")
    date_from = fields.Date(required=True, default=lambda self: fields.Date.context_today(self) + relativedelta(day=1))
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    payout_mode = fields.Selection(
        [("all", "Every reward"), ("platform", "Paid through the platform"),
         ("outside", "Recorded, paid outside the platform")], string="Rewards", default="all", required=True,
        help="Recorded outside: the rewards of rules paid outside the platform (线下统计发放), for the operator to "
             "pay by other means.")

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise UserError(_("The period starts after it ends."))

    def _reward_domain(self):
        self.ensure_one()
        domain = [("company_id", "=", self.env.company.id),
                  ("date", ">=", datetime.combine(self.date_from, time.min)),
                  ("date", "<=", datetime.combine(self.date_to, time.max))]
        if self.partner_id:
            domain.append(("partner_id", "=", self.partner_id.id))
        if self.payout_mode != "all":
            domain.append(("payout_mode", "=", self.payout_mode))
        return domain

    def _check_user(self):
        if not self.env.su and not self.env.user.has_group("points_pool.group_points_user"):
            raise AccessError(_("Only Points Users may print or export reward statements."))

    def action_print(self):
        self.ensure_one()
        self._check_user()
        partners = self.partner_id or self.env["points.reward"].search(self._reward_domain()).partner_id
        if not partners:
            raise UserError(_("No reward in this period."))
        return self.env.ref("points_reward.points_reward_statement_report").report_action(
            partners.sorted("id"), data={"date_from": str(self.date_from), "date_to": str(self.date_to),
                                         "company_id": self.env.company.id, "payout_mode": self.payout_mode})

    def action_open_rewards(self):
        """The period's rewards by beneficiary, in a list Odoo exports to XLSX or CSV (Action → Export)."""
        self.ensure_one()
        self._check_user()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_reward.points_reward_action")
        action.update(domain=self._reward_domain(), view_mode="list,pivot",
                      views=[(False, "list"), (False, "pivot")],
                      context={"search_default_group_partner": 1})
        return action
