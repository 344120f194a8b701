from odoo import models


class PointsPool(models.Model):
    _inherit = "points.pool"

    def _posts_immediately(self, row):
        """A POS order's pool events wait for its session's closing, which books them in one entry as it books
        the session's sales; once the session is closed (an order refunded or synced later), they post at once.

        Points payments are not deferred: the closing entry reconciles with their redeem entries.
        """
        if not super()._posts_immediately(row):
            return False
        session = row._points_pos_session()
        return not session or session.state == "closed"

    def _prepare_move_values(self, ref, lines):
        values = super()._prepare_move_values(ref, lines)
        # The entry booking a session's pool events bears the date of the session's closing entry.
        if self.env.context.get("points_pos_closing_date"):
            values["date"] = self.env.context["points_pos_closing_date"]
        return values
