from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.points_pool import SAFE_REWARD_DEPTH


class PointsDepthLimitWizard(models.TransientModel):
    """Changes how many referrer levels rewards reach; going above two levels needs an acknowledged warning."""

    _name = "points.depth.limit.wizard"
    _description = "Change Reward Depth"

    pool_id = fields.Many2one("points.pool", required=True, readonly=True,
                              default=lambda self: self.env["points.pool"]._get_for_company(self.env.company))
    current_limit = fields.Integer(related="pool_id.reward_depth_limit", string="Current Limit")
    new_limit = fields.Integer(required=True, default=SAFE_REWARD_DEPTH)
    needs_acknowledgement = fields.Boolean(compute="_compute_warning")
    warning = fields.Text(compute="_compute_warning")
    acknowledged = fields.Boolean("I have read the warning and take responsibility for this change")

    @api.depends("new_limit", "current_limit")
    def _compute_warning(self):
        for wizard in self:
            wizard.needs_acknowledgement = wizard.new_limit > max(wizard.current_limit, SAFE_REWARD_DEPTH)
            wizard.warning = wizard._warning_text()

    def _warning_text(self):
        return _("Rewards will reach %(limit)s referrer levels above the buyer. In mainland China, team compensation "
                 "over three or more levels is a mark of pyramid selling (传销), and similar rules exist elsewhere. "
                 "Check with counsel that this scheme is lawful where your members live before raising the limit.",
                 limit=self.new_limit)

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("points_pool.group_points_manager"):
            raise AccessError(_("Only a Points Manager may change the reward depth."))
        if self.needs_acknowledgement and not self.acknowledged:
            raise UserError(_("Tick the acknowledgement to raise the reward depth above %s levels.",
                              SAFE_REWARD_DEPTH))
        old = self.current_limit
        self.pool_id.sudo().with_context(points_depth_acknowledged=self.needs_acknowledgement).write(
            {"reward_depth_limit": self.new_limit})
        if self.needs_acknowledgement:
            # Stored in the staff's language (the company's), whoever acknowledged it.
            pool = self.pool_id.sudo()._points_in_staff_lang()
            warning = self.with_context(lang=pool.env.lang)._warning_text()
            pool.message_post(body=Markup("<p>%s</p><p><i>%s</i></p>") % (
                pool.env._("%(user)s raised the reward depth limit from %(old)s to %(new)s levels and acknowledged "
                           "this warning:", user=self.env.user.name, old=old, new=self.new_limit),
                escape(warning)), author_id=self.env.user.partner_id.id)
        return {"type": "ir.actions.act_window_close"}
