from odoo import models


class PosSession(models.Model):
    _inherit = "pos.session"

    def _reconcile_account_move_lines(self, data):
        data = super()._reconcile_account_move_lines(data)
        self._points_post_pool_events()
        self._points_reconcile_redeems()
        return data

    def _points_post_pool_events(self):
        """Books the pool events of the session's orders in one entry per pool, dated like its closing entry.

        Like the POS's own sales, they waited for the closing (``points.pool._posts_immediately``): a real-time
        pool then posts no entry per order. Called once the closing entry exists and before its debits of the
        customers' receivables are reconciled with what the Points payments credited.
        """
        self.ensure_one()
        rows = self.env["points.ledger"]._points_pos_rows(self.order_ids)
        for pool, pool_rows in rows.grouped("pool_id").items():
            pool.with_context(points_pos_closing=self.id)._post_due_rows(pool_rows, ref=self.name)

    def _points_reconcile_redeems(self):
        """Settles the customer receivable the closing entry debits for Points payments with the redeem credits.

        Points payments are customer-account payments: the closing entry debits each customer's
        receivable, and the pool's redeem entry of each payment credits it (posted just before, by
        :meth:`_points_post_pool_events`, or when the pool applied it after the closing).
        """
        self.ensure_one()
        orders = self.order_ids.filtered(lambda order: not order.is_invoiced)
        redeems = orders._points_redeem_rows() if self.move_id else self.env["points.ledger"]
        if not redeems:
            return
        labels = {f"{self.name} - {method.name}" for method in orders._points_payments().payment_method_id}
        for member, rows in redeems.grouped("partner_id").items():
            account = member.with_company(self.company_id).property_account_receivable_id
            if not account.reconcile:
                continue
            closing_lines = self.move_id.line_ids.filtered(
                lambda line: line.account_id == account and line.partner_id == member and line.name in labels)
            # A drain's journal entry may hold the redeems of other members too.
            lines = (closing_lines | rows.move_id.line_ids).filtered(
                lambda line: line.account_id == account and line.partner_id == member and not line.reconciled)
            if closing_lines and lines:
                lines.with_context(no_cash_basis=True).reconcile()
