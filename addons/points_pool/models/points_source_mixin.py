from odoo import api, fields, models


class PointsSourceMixin(models.AbstractModel):
    """The paid line (and its order) a record of the suite was made for: allocations, rewards, dividend accruals,
    queued rebates, role purchases.

    The source is a reference (model name + id), the way the ledger and Odoo's ``loyalty.history`` point at
    their documents; ``source_ref`` / ``order_ref`` show them as links. Models that key a record on its line
    add their own unique constraint and indexes (redeclaring ``source_id`` with ``index=True`` is enough).
    """

    _name = "points.source.mixin"
    _description = "Points Source Document"

    source_model = fields.Char(required=True, readonly=True)
    source_id = fields.Many2oneReference("Source Line ID", model_field="source_model", required=True, readonly=True)
    source_ref = fields.Reference(selection="_selection_models", compute="_compute_refs", string="Source Line")
    order_model = fields.Char(readonly=True)
    order_id = fields.Many2oneReference("Order ID", model_field="order_model", readonly=True)
    order_ref = fields.Reference(selection="_selection_models", compute="_compute_refs", string="Order")

    @api.model
    def _selection_models(self):
        return self.env["points.ledger"]._selection_source_ref()

    @api.depends("source_model", "source_id", "order_model", "order_id")
    def _compute_refs(self):
        for record in self:
            record.source_ref = (f"{record.source_model},{record.source_id}"
                                 if record.source_model in self.env and record.source_id else False)
            record.order_ref = (f"{record.order_model},{record.order_id}"
                                if record.order_model in self.env and record.order_id else False)

    @api.model
    def _source_values(self, line, order=None):
        """The reference columns of a record made for ``line`` of ``order`` (either may be empty for the order)."""
        return {"source_model": line._name, "source_id": line.id,
                "order_model": order._name if order else False, "order_id": order.id if order else False}

    @api.model
    def _source_domain(self, lines):
        """Domain of the records made for ``lines`` (records of one model)."""
        return [("source_model", "=", lines._name), ("source_id", "in", lines.ids)]

    def _source_line(self):
        self.ensure_one()
        return self.env[self.source_model].browse(self.source_id)

    def _source_order(self):
        """The order of the source line (sudo), or None when there is none or it was deleted."""
        self.ensure_one()
        if self.order_model in self.env and self.order_id:
            return self.env[self.order_model].sudo().browse(self.order_id).exists()
        return None
