from odoo import fields, models

from .points_referral_node import BINDING_CHANNELS


class PointsReferralMove(models.Model):
    """Log of every binding or move of a member (and its downline) in the referral tree."""

    _name = "points.referral.move"
    _description = "Referrer Change"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", string="Member", required=True, readonly=True, index=True,
                                 ondelete="cascade")
    old_referrer_id = fields.Many2one("res.partner", string="From Referrer", readonly=True, ondelete="set null")
    new_referrer_id = fields.Many2one("res.partner", string="To Referrer", readonly=True, ondelete="set null")
    via = fields.Selection(BINDING_CHANNELS, string="Through", required=True, readonly=True)
    reason = fields.Char(readonly=True)
    subtree_size = fields.Integer("Members Moved", readonly=True, help="The member and its whole downline.")
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
