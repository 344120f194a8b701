from odoo import models
from odoo.tools import SQL


class PointsPoolRequest(models.Model):
    _inherit = "points.pool.request"

    def _on_applied(self):
        # In batch accounting too, what the consumption balance pays is posted at once: invoices reconcile with it.
        result = super()._on_applied()
        if not any(request.kind == "movements" and request.state == "applied" for request in self):
            return result
        self.env.cr.execute(SQL(
            """SELECT pool_id, array_agg(id ORDER BY id) FROM points_ledger
                WHERE request_id = ANY(%s) AND move_id IS NULL AND event IN ('legacy_spend', 'legacy_refund')
                GROUP BY pool_id""", self.ids))
        for pool_id, row_ids in self.env.cr.fetchall():
            self.env["points.pool"].sudo().browse(pool_id)._post_entry(
                self.env["points.ledger"].sudo().browse(row_ids), detailed=True)
        # Credit notes whose balance refund the pool applied after their posting are settled now.
        refunds = self.env["points.ledger"].sudo().search([
            ("request_id", "in", self.ids), ("event", "=", "legacy_refund"), ("source_model", "=", "account.move")])
        for row in refunds:
            self.env["account.move"].sudo().browse(row.source_id)._legacy_reconcile_refund(row)
        return result
