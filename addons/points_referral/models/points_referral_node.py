from odoo import fields, models
from odoo.tools import SQL, create_index


class PointsReferralNode(models.Model):
    """A member's place in the referral tree: its materialized path and depth.

    ``path`` is an ``int4[]`` column kept by SQL (no ORM field type fits): the partner
    ids from the root of the member's tree down to the member. Ancestors are read from
    it directly; a whole downline is ``path @> ARRAY[id]``, answered by a GIN index at
    any depth. The node lives in its own narrow table so that moving a subtree rewrites
    small rows with two indexes, never the partners themselves.
    """

    _name = "points.referral.node"
    _description = "Referral Tree Node"
    _log_access = False
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Member", required=True, readonly=True, ondelete="cascade")
    depth = fields.Integer(readonly=True, help="Number of referrers above the member.")

    _sql_constraints = [
        ("partner_uniq", "unique(partner_id)", "A member has one place in the referral tree."),
    ]

    def init(self):
        self.env.cr.execute(SQL("ALTER TABLE points_referral_node ADD COLUMN IF NOT EXISTS path int4[]"))
        create_index(self.env.cr, "points_referral_node_path_gin_index", self._table, ["path"], method="gin")
