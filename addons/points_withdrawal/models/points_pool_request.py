from odoo import models


class PointsPoolRequest(models.Model):
    """Forced exits of pools that withdraw the exit's cash queue the withdrawal once they are applied."""

    _inherit = "points.pool.request"

    def _on_applied(self):
        result = super()._on_applied()
        if not self.ids:
            return result
        exits = self.env["points.ledger"].sudo().search([
            ("request_id", "in", self.ids), ("event", "=", "exit"), ("cash_delta", ">", 0),
            ("pool_id.exit_withdrawal", "=", True)])
        Withdrawal = self.env["points.withdrawal"].sudo()
        for row in exits:
            # The job's description is stored: in the staff's language.
            staff = row.wallet_id._points_in_staff_lang()
            # A job of its own: the reservation locks the member's hold row, never inside the pool's chain.
            Withdrawal.with_delay(
                identity_key=f"points.withdrawal.exit:{row.id}",
                description=staff.env._("Withdraw the forced-exit cash of %s", row.partner_id.display_name),
            )._request_at_exit(row)
        return result
