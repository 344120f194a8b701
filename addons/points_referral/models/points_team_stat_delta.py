from odoo import fields, models

from odoo.addons.points_pool.fields import LooseMany2one


class PointsTeamStatDelta(models.Model):
    """A paid or refunded line's change to the team statistics, waiting for the pool's sequencer.

    Every buyer below the same upline would rewrite that upline's statistics row, and under
    REPEATABLE READ all but one of them would fail with a serialization error: callers only
    insert these rows, and the sequencer of the company's pool adds them along the referral
    paths (:meth:`points.team.stat._apply_deltas`), then checks the rank upgrades.
    """

    _name = "points.team.stat.delta"
    _description = "Pending Team Statistics Change"
    _order = "id"
    _log_access = False

    # No foreign keys: the sequencer rewrites members' rows (ranks) while callers insert (see LooseMany2one).
    partner_id = LooseMany2one("res.partner", string="Buyer", required=True, readonly=True)
    company_id = LooseMany2one("res.company", required=True, readonly=True, index=True)
    amount = fields.Float(digits=(16, 2), readonly=True, help="Spend added (negative: refunded).")
    orders = fields.Integer(readonly=True, help="Orders added (0 for another line of a counted order).")
