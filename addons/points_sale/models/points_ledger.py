from odoo import api, models


class PointsLedger(models.Model):
    _inherit = "points.ledger"

    @api.model
    def _source_document_paths(self):
        return dict(super()._source_document_paths(), **{
            "sale.order.line": "order_id", "points.invoice.redeem.wizard": "invoice_id"})

    @api.model
    def _source_document_names(self, model, rows):
        names = super()._source_document_names(model, rows)
        if model == "account.move.line":
            # An invoice line names its invoice and the sales orders it invoices.
            lines = self.env[model].sudo().browse(set(rows.mapped("source_id"))).exists()
            orders = {line.id: line.sale_line_ids.order_id for line in lines}
            for row in rows:
                order_names = orders.get(row.source_id) and orders[row.source_id].mapped("name")
                if names.get(row.id) and order_names:
                    names[row.id] = f"{names[row.id]} ({', '.join(order_names)})"
        elif model == "points.invoice.redeem.wizard":
            # The wizard of a points payment is transient: once it is gone, the invoice the payment settled.
            missing = rows.filtered(lambda row: not names.get(row.id) and row.request_id)
            if missing:
                invoices = self.env["account.move"].sudo().search(
                    [("points_redeem_request_ids", "in", missing.request_id.ids)])
                by_request = {request: invoice for invoice in invoices
                              for request in invoice.points_redeem_request_ids}
                for row in missing:
                    invoice = by_request.get(row.request_id)
                    names[row.id] = invoice.display_name if invoice else ""
        return names
