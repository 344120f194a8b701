from odoo import api, models


class PointsLedger(models.Model):
    _inherit = "points.ledger"

    @api.model
    def _source_document_paths(self):
        # A points payment and an order line are known by their POS order.
        return dict(super()._source_document_paths(), **{"pos.payment": "pos_order_id", "pos.order.line": "order_id"})
