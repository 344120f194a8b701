from odoo import models


class PointsPool(models.Model):
    _inherit = "points.pool"

    def _posts_immediately(self, row):
        """A POS order's pool events wait for its session's closing, which books them in one entry as it books
        the session's sales; once the session is closed (an order refunded or synced later), they post at once.

        Points payments wait too: the closing posts them before it reconciles its debits of the customers'
        receivables with them. Those of invoiced orders do not wait (see ``_points_pos_session``).
        """
        if not super()._posts_immediately(row):
            return False
        session = row._points_pos_session()
        return not session or session.state == "closed" or session.id == self.env.context.get("points_pos_closing")

    def _post_due_rows(self, rows, ref=None):
        move = super()._post_due_rows(rows, ref=ref)
        if move and not self.env.context.get("points_pos_closing"):
            # Points payments the closing could not book (the pool applied them while it ran) are posted by the
            # hourly job: their customers' receivables are settled with the closing entry now.
            payments = rows.filtered(lambda row: row.move_id == move and row.source_model == "pos.payment")
            sessions = self.env["pos.session"].sudo().browse(
                {row._points_pos_session().id for row in payments} - {False})
            for session in sessions.filtered(lambda session: session.state == "closed" and session.move_id):
                session._points_reconcile_redeems()
        return move

    def _prepare_move_values(self, ref, lines):
        values = super()._prepare_move_values(ref, lines)
        # The entry booking a session's pool events bears the date of the session's closing entry.
        closing = self.env["pos.session"].sudo().browse(self.env.context.get("points_pos_closing"))
        if closing.move_id:
            values["date"] = closing.move_id.date
        return values
