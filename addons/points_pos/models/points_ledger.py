from odoo import api, models
from odoo.osv import expression


class PointsLedger(models.Model):
    _inherit = "points.ledger"

    @api.model
    def _source_document_paths(self):
        # A points payment and an order line are known by their POS order.
        return dict(super()._source_document_paths(), **{"pos.payment": "pos_order_id", "pos.order.line": "order_id"})

    def _points_pos_session(self):
        """The POS session of the order the row was made for, through its order line, its payment or a record
        of the suite made for that line (a reward, a dividend accrual…); an empty recordset for any other row.

        The payments of an invoiced order have none: Odoo books them with the invoice, which their entry
        settles at once; the closing entry debits the customer only for the other orders' payments.
        """
        self.ensure_one()
        Session = self.env["pos.session"].sudo()
        if not self.source_id or self.source_model not in self.env:
            return Session
        source = self.env[self.source_model].sudo().browse(self.source_id)
        if isinstance(source, self.pool["points.source.mixin"]):
            source = source.exists() and (source._source_order() or source._source_line())
        if source and source._name == "pos.order.line":
            source = source.exists().order_id
        elif source and source._name == "pos.payment":
            source = source.exists().pos_order_id.filtered(lambda order: not order.is_invoiced)
        return source.session_id if source and source._name == "pos.order" else Session

    @api.model
    def _points_pos_rows(self, orders):
        """Rows without a journal entry made for ``orders``' lines, directly or through the records of the
        suite made for them, and for their Points payments (see :meth:`_points_pos_session`)."""
        lines = orders.lines
        sources = [("pos.order.line", lines.ids), ("pos.payment", orders._points_payments().ids)]
        for name in self.env.registry.descendants(["points.source.mixin"], "_inherit"):
            Model = self.env[name].sudo()
            if not Model._abstract:
                sources.append((name, Model.search(expression.OR([
                    [("order_model", "=", "pos.order"), ("order_id", "in", orders.ids)],
                    [("source_model", "=", "pos.order.line"), ("source_id", "in", lines.ids)],
                ])).ids))
        by_source = [[("source_model", "=", name), ("source_id", "in", ids)] for name, ids in sources if ids]
        if not by_source:
            return self.browse()
        return self.sudo().search(expression.AND([[("move_id", "=", False)], expression.OR(by_source)]), order="id")
