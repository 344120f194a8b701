from odoo import api, fields, models


class PointsReferralBindWizard(models.TransientModel):
    """Staff set or change a member's referrer, with a reason; the whole downline moves along."""

    _name = "points.referral.bind.wizard"
    _description = "Change Referrer"

    partner_id = fields.Many2one("res.partner", string="Member", required=True, readonly=True)
    current_referrer_id = fields.Many2one(related="partner_id.referrer_id", string="Current Referrer")
    referrer_id = fields.Many2one("res.partner", string="New Referrer",
                                  help="Leave empty to make the member the top of its own tree.")
    reason = fields.Char(required=True)
    team_size = fields.Integer(related="partner_id.referral_team_size", string="Members Moving With It")

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        self.referrer_id = self.partner_id.referrer_id

    def action_confirm(self):
        self.ensure_one()
        self.partner_id._bind_referrer(self.referrer_id, via="staff", reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
