import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.sql_db import TestCursor
from odoo.tools import SQL, create_index

_logger = logging.getLogger(__name__)

#: Length of the sliding window of the rate limits, in seconds.
WINDOW = 60
#: How long calls are kept (the cron forgets older ones).
KEEP = timedelta(hours=1)
#: First key of the advisory locks taken per counted key (second key: hashtext of the key).
LOCK_CLASS = 0x70415049  # "pAPI"


class PointsApiUsage(models.Model):
    """One row per API call: the rate limits count the rows of a key in the last minute (a sliding window).

    Insert-only, so parallel calls never update a shared row. A call is written in a short
    transaction of its own, committed before the call runs: calls that fail (or crash) count too.
    Keys: ``member:<partner id>`` for signed-in calls, ``ip:<address>`` for calls with a missing
    or wrong token.
    """

    _name = "points.api.usage"
    _description = "Member API Call"
    _order = "at desc, id desc"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    at = fields.Datetime(required=True, readonly=True)

    def init(self):
        create_index(self.env.cr, "points_api_usage_key_at_index", self._table, ["key", "at"])

    @api.model
    def _hit(self, key, limit, now=None):
        """Counts one call of ``key``; False when it makes more than ``limit`` calls in the window (0: no limit).

        Runs in its own cursor and commits at once, so the count survives the call's rollback.
        """
        with self.env.registry.cursor() as cr:
            if not isinstance(cr, TestCursor):  # a test cursor runs inside the test's transaction
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            return self._count_call(cr, key, limit, now=now)

    @api.model
    def _count_call(self, cr, key, limit, now=None, record=True):
        """Records (when ``record``) and counts the calls of ``key`` in the window ending ``now`` on ``cr``.

        The advisory lock makes the calls of one key count one after the other, and READ COMMITTED lets
        each see the calls committed before it took the lock: the limit holds under any concurrency.
        """
        now = now or fields.Datetime.now()
        cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", LOCK_CLASS, key))
        if record:
            cr.execute(SQL("INSERT INTO points_api_usage (key, at) VALUES (%s, %s)", key, now))
        cr.execute(SQL("SELECT count(*) FROM points_api_usage WHERE key = %s AND at > %s AND at <= %s",
                       key, now - timedelta(seconds=WINDOW), now))
        count = cr.fetchone()[0]
        return not limit or count <= limit

    @api.model
    def _over_limit(self, key, limit, now=None):
        """True when ``key`` already made ``limit`` calls in the window (nothing recorded)."""
        if not limit:
            return False
        now = now or fields.Datetime.now()
        self.env.cr.execute(SQL("SELECT count(*) FROM points_api_usage WHERE key = %s AND at > %s AND at <= %s",
                                key, now - timedelta(seconds=WINDOW), now))
        return self.env.cr.fetchone()[0] >= limit

    @api.model
    def _cron_forget_old_counters(self):
        self.env.cr.execute(SQL("DELETE FROM points_api_usage WHERE at < %s", fields.Datetime.now() - KEEP))
        self.env["points.api.idempotency"]._cron_forget_old_keys()
