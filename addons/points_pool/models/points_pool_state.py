from odoo import api, fields, models


class PointsPoolState(models.Model):
    """The pool's running balances, one row per pool, written by the pool's sequencer only.

    They live outside the ``points.pool`` row on purpose: wallets, requests and every
    other row that names its pool hold a foreign key to ``points.pool``, and under
    REPEATABLE READ inserting such a row fails with a serialization error if the
    referenced row changed since the transaction began. Nothing references this row,
    so the sequencer can rewrite it at every drain while callers insert freely. Its
    row lock is the pool's lock: whoever holds it is the sequencer.
    """

    _name = "points.pool.state"
    _description = "Profit Pool Balances"

    pool_id = fields.Many2one("points.pool", required=True, readonly=True, ondelete="cascade")
    currency_id = fields.Many2one(related="pool_id.currency_id")
    balance = fields.Monetary(readonly=True, help="Money in the pool (P).")
    circulating_points = fields.Float(digits=(16, 4), readonly=True, help="Points held by members (N).")
    last_price = fields.Float(digits=(16, 8), readonly=True,
                              help="Price used while no points circulate: the initial price, then the last price.")
    applied_count = fields.Integer(readonly=True, help="Requests the sequencer has applied or refused.")

    _sql_constraints = [
        ("pool_uniq", "unique(pool_id)", "A pool has one row of balances."),
    ]

    @api.model
    def _ensure_for(self, pools):
        """Creates the missing balance rows of ``pools`` (at the initial price, empty)."""
        existing = self.sudo().search([("pool_id", "in", pools.ids)]).pool_id
        missing = pools - existing
        if missing:
            self.sudo().create([{"pool_id": pool.id, "last_price": pool.initial_price} for pool in missing])
