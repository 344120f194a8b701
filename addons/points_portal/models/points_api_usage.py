from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class PointsApiUsage(models.Model):
    """Calls per member and minute, counted in the database so that every worker sees the same count."""

    _name = "points.api.usage"
    _description = "Member API Calls per Minute"
    _order = "minute desc"
    _log_access = False

    partner_id = fields.Many2one("res.partner", "Member", required=True, readonly=True, index=True,
                                 ondelete="cascade")
    minute = fields.Datetime(required=True, readonly=True, index=True)
    count = fields.Integer(readonly=True)

    _sql_constraints = [
        ("partner_minute_uniq", "unique(partner_id, minute)", "One counter per member and minute."),
    ]

    @api.model
    def _hit(self, partner, limit):
        """Counts one call of ``partner`` in the current minute; False when it goes over ``limit`` (0: no limit)."""
        minute = fields.Datetime.now().replace(second=0, microsecond=0)
        self.env.cr.execute(SQL(
            """INSERT INTO points_api_usage (partner_id, minute, count) VALUES (%s, %s, 1)
               ON CONFLICT (partner_id, minute) DO UPDATE SET count = points_api_usage.count + 1
               RETURNING count""", partner.id, minute))
        count = self.env.cr.fetchone()[0]
        return not limit or count <= limit

    @api.model
    def _cron_forget_old_counters(self):
        self.env.cr.execute(SQL("DELETE FROM points_api_usage WHERE minute < %s",
                                fields.Datetime.now() - timedelta(hours=1)))
