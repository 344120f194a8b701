import hashlib
import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

#: How long a key answers with its first result.
KEEP = timedelta(days=7)


class PointsApiIdempotency(models.Model):
    """The first result of a money-moving API call, by the member's idempotency key.

    The same key with the same call (method, path and canonical body) answers the stored
    status and body again; with another call it is refused (409). The key is claimed by an
    insert before the call runs, so two concurrent calls with one key cannot both run.
    """

    _name = "points.api.idempotency"
    _description = "Member API Idempotency Key"
    _order = "id desc"
    _log_access = False

    partner_id = fields.Many2one("res.partner", "Member", required=True, readonly=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    key = fields.Char(required=True, readonly=True)
    request_hash = fields.Char(required=True, readonly=True, help="SHA-256 of the method, path and canonical body.")
    status = fields.Integer(readonly=True)
    response = fields.Text(readonly=True)
    created_at = fields.Datetime(required=True, readonly=True)

    _sql_constraints = [
        ("key_uniq", "unique(partner_id, company_id, key)", "An idempotency key is used once per member."),
    ]

    @api.model
    def _request_hash(self, method, path, body):
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()

    @api.model
    def _claim(self, partner, company, key, request_hash):
        """("new", id) when the key is new (the caller runs the call, then ``_store`` or ``_release``),
        ("replay", status, body) for the same call again, ("conflict",) for another call with the key."""
        cr = self.env.cr
        cr.execute(SQL(
            """INSERT INTO points_api_idempotency (partner_id, company_id, key, request_hash, created_at)
               VALUES (%s, %s, %s, %s, %s) ON CONFLICT (partner_id, company_id, key) DO NOTHING RETURNING id""",
            partner.id, company.id, key, request_hash, fields.Datetime.now()))
        row = cr.fetchone()
        if row:
            return ("new", row[0])
        cr.execute(SQL("""SELECT request_hash, status, response FROM points_api_idempotency
                          WHERE partner_id = %s AND company_id = %s AND key = %s""", partner.id, company.id, key))
        stored_hash, status, response = cr.fetchone()
        if stored_hash != request_hash or not status:
            return ("conflict",)
        return ("replay", status, json.loads(response))

    @api.model
    def _store(self, row_id, status, body):
        self.env.cr.execute(SQL("UPDATE points_api_idempotency SET status = %s, response = %s WHERE id = %s",
                                status, json.dumps(body, default=str), row_id))

    @api.model
    def _release(self, row_id):
        """Forgets a key whose call changed nothing (refused input): the same call may run again."""
        self.env.cr.execute(SQL("DELETE FROM points_api_idempotency WHERE id = %s", row_id))

    @api.model
    def _cron_forget_old_keys(self):
        self.env.cr.execute(SQL("DELETE FROM points_api_idempotency WHERE created_at < %s",
                                fields.Datetime.now() - KEEP))
