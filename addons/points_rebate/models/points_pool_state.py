from odoo import fields, models


class PointsPoolState(models.Model):
    """The rebate pool's balance sits on the pool's balance row, which only the pool's sequencer writes."""

    _inherit = "points.pool.state"

    rebate_balance = fields.Monetary(
        "Rebate Pool Balance", readonly=True,
        help="Money in the rebate pool: fed by the allocation plans' rebate bucket and injections, paid out by "
             "rebate releases.")
