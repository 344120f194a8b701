from odoo import models


class PointsPoolRequest(models.Model):
    _inherit = "points.pool.request"

    def _on_applied(self):
        result = super()._on_applied()
        if not any(request.kind == "movements" and request.state == "applied" for request in self):
            return result
        # Credit notes whose balance refund the pool applied after their posting are settled now.
        refunds = self.env["points.ledger"].sudo().search([
            ("request_id", "in", self.ids), ("event", "=", "legacy_refund"), ("source_model", "=", "account.move")])
        for row in refunds:
            self.env["account.move"].sudo().browse(row.source_id)._legacy_reconcile_refund(row)
        return result
