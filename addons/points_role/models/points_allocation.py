from odoo import models


class PointsAllocation(models.Model):
    """Paid lines of role products grant their role; a line refunded in full revokes it, in part shortens an
    agency's term."""

    _inherit = "points.allocation"

    def _on_paid(self):
        result = super()._on_paid()
        Grant = self.env["points.role.grant"]
        for rows in self.grouped(lambda row: (row.source_model, row.source_id)).values():
            if rows.product_id.points_role:
                Grant._grant(rows)
        return result

    def _on_reversed(self, ratio, refund_source=None):
        result = super()._on_reversed(ratio, refund_source)
        Grant = self.env["points.role.grant"].sudo()
        for (source_model, source_id), rows in self.grouped(lambda row: (row.source_model, row.source_id)).items():
            if not rows.product_id.points_role:
                continue
            grants = Grant.search([("source_model", "=", source_model), ("source_id", "=", source_id)])
            refunded = max(rows.mapped("reversed_ratio"))
            if refunded >= 1:
                grants._revoke()
            else:
                grants._shorten(1 - refunded)
        return result
