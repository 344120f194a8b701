from odoo import fields, models


class PointsPoolState(models.Model):
    """The legacy members' consumption balances, in total, sit on the pool's balance row (the sequencer writes it)."""

    _inherit = "points.pool.state"

    legacy_balance = fields.Monetary(
        "Legacy Consumption Balances", readonly=True,
        help="What legacy members can still spend on products: imported payables less what they spent, plus refunds.")
