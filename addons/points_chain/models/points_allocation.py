from odoo import models

from odoo.addons.points_engine.rounding import to_decimal


class PointsAllocation(models.Model):
    """Paid package lines queue the chain programs of their products; refunds mark them reversed in full."""

    _inherit = "points.allocation"

    def _on_paid(self):
        result = super()._on_paid()
        Program = self.env["points.chain.program"].sudo()
        Member = self.env["points.chain.member"].sudo()
        Reward = self.env["points.reward"].sudo()
        for rows in self._by_line():
            first = rows[:1]
            line = first._source_line()
            product = first.product_id or (line.product_id if "product_id" in line._fields else None)
            programs = Program._for_product(first.company_id, product)
            if not programs:
                continue
            # What the other reward rules of a bucket already paid for the line (they ran just before) is not
            # the chain's to pay; two programs of one product share what is left in the order of their names.
            paid = {}
            for reward in Reward.search([("source_model", "=", line._name), ("source_id", "=", line.id),
                                         ("chain_program_id", "=", False)]):
                paid[reward.rule_id.bucket] = paid.get(reward.rule_id.bucket, 0) + to_decimal(reward.amount)
            for program in programs:
                left = sum((to_decimal(row.amount) for row in rows if row.bucket == program.bucket), to_decimal(0))
                left -= paid.get(program.bucket, 0)
                budget = max(min(left, program._rules().max_payout()), to_decimal(0))
                paid[program.bucket] = paid.get(program.bucket, 0) + budget
                Member._package_paid(program, line, first.partner_id, budget, order=first._source_order())
        return result

    def _on_reversed(self, ratio, refund_source=None):
        result = super()._on_reversed(ratio, refund_source)
        Order = self.env["points.chain.order"].sudo()
        for rows in self._by_line():
            if max(rows.mapped("reversed_ratio")) >= 1:
                first = rows[:1]
                Order.search([("source_model", "=", first.source_model), ("source_id", "=", first.source_id)]).write(
                    {"reversed": True})
        return result
