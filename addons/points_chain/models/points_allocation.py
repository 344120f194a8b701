from odoo import models

from odoo.addons.points_engine.rounding import to_decimal


class PointsAllocation(models.Model):
    """Paid package lines run the chain programs of their products; refunds mark them reversed in full."""

    _inherit = "points.allocation"

    def _on_paid(self):
        result = super()._on_paid()
        Program = self.env["points.chain.program"].sudo()
        Member = self.env["points.chain.member"].sudo()
        for rows in self._referral_lines():
            first = rows[:1]
            line = first._source_line()
            product = line.product_id if "product_id" in line._fields else None
            for program in Program._for_product(first.company_id, product):
                budget = sum((to_decimal(row.amount) for row in rows if row.bucket == program.bucket), to_decimal(0))
                Member._package_paid(program, line, first.partner_id, budget, order=first._referral_order())
        return result

    def _on_reversed(self, ratio, refund_source=None):
        result = super()._on_reversed(ratio, refund_source)
        Order = self.env["points.chain.order"].sudo()
        for rows in self._referral_lines():
            if max(rows.mapped("reversed_ratio")) >= 1:
                first = rows[:1]
                Order.search([("source_model", "=", first.source_model), ("source_id", "=", first.source_id)]).write(
                    {"reversed": True})
        return result
