import hashlib
import hmac
import secrets
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

#: Plain tokens read ``pts_<prefix>_<secret>``; the prefix finds the row, the hash proves the secret.
TOKEN_PREFIX = "pts"
PREFIX_BYTES = 6
SECRET_BYTES = 24
#: ``last_used`` is written at most once per this many seconds, so busy clients do not rewrite the row each call.
LAST_USED_STEP = 60


class PointsApiToken(models.Model):
    """A member's key to the JSON API: issued from the portal, only its hash is stored."""

    _name = "points.api.token"
    _description = "Member API Token"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, help="What the member calls this token (the app, the device).")
    partner_id = fields.Many2one("res.partner", "Member", required=True, readonly=True, index=True,
                                 ondelete="cascade")
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True, ondelete="cascade",
                              help="The API runs every call as this user, so the member's access rules apply.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True, ondelete="cascade")
    prefix = fields.Char(required=True, readonly=True, index=True, copy=False,
                         help="Public start of the token, shown to tell tokens apart.")
    secret_hash = fields.Char(required=True, readonly=True, copy=False, groups="base.group_system")
    expires_at = fields.Datetime("Expires On", readonly=True, help="Empty: the token does not expire.")
    last_used = fields.Datetime("Last Used", readonly=True)
    revoked = fields.Boolean(readonly=True, index=True)
    revoked_at = fields.Datetime("Revoked On", readonly=True)
    state = fields.Selection([("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")],
                             compute="_compute_state")

    _sql_constraints = [
        ("prefix_uniq", "unique(prefix)", "Token prefixes are unique."),
    ]

    @api.depends("revoked", "expires_at")
    def _compute_state(self):
        now = fields.Datetime.now()
        for token in self:
            token.state = ("revoked" if token.revoked
                           else "expired" if token.expires_at and token.expires_at <= now else "active")

    # -- actions -----------------------------------------------------------------------
    def action_revoke(self):
        """Members revoke their own tokens; Points Managers any token of their companies."""
        self.check_access("read")
        manager = self.env.su or self.env.user.has_group("points_pool.group_points_manager")
        if not manager and any(token.user_id != self.env.user for token in self):
            raise AccessError(_("You may only revoke your own API tokens."))
        self.sudo().filtered(lambda token: not token.revoked).write(
            {"revoked": True, "revoked_at": fields.Datetime.now()})
        return True

    # -- business methods ---------------------------------------------------------------
    @api.model
    def _issue(self, name, days=None, company=None):
        """A new token for the current user; returns ``(token, plain)``: the plain token exists only here."""
        name = (name or "").strip()
        if not name:
            raise UserError(_("Name the token, for example after the app or the phone that uses it."))
        if len(name) > 64:
            raise UserError(_("A token name has at most 64 characters."))
        if days is not None and (not isinstance(days, int) or not 0 < days <= 3650):
            raise UserError(_("A token lasts from 1 to 3650 days."))
        user = self.env.user
        if user._is_public():
            raise AccessError(_("Sign in to create an API token."))
        company = company or self.env.company
        if company not in user.company_ids:
            raise UserError(_("You do not work in %s.", company.name))
        prefix = secrets.token_hex(PREFIX_BYTES)
        plain = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
        token = self.sudo().create({
            "name": name, "partner_id": user.partner_id.id, "user_id": user.id, "company_id": company.id,
            "prefix": prefix, "secret_hash": self._hash(plain),
            "expires_at": fields.Datetime.now() + timedelta(days=days) if days else False,
        })
        return token.with_env(self.env), plain

    @api.model
    def _authenticate(self, plain):
        """The active token whose secret is ``plain``, or an empty recordset (sudo: called before any login)."""
        parts = (plain or "").strip().split("_", 2)
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
            return self.browse()
        token = self.sudo().search([("prefix", "=", parts[1])], limit=1)
        if not token or not hmac.compare_digest(token.secret_hash, self._hash(plain.strip())):
            return self.browse()
        now = fields.Datetime.now()
        expired = token.expires_at and token.expires_at <= now
        if token.revoked or expired or not token.user_id.active or not token.partner_id.active:
            return self.browse()
        if not token.last_used or (now - token.last_used).total_seconds() >= LAST_USED_STEP:
            # A plain UPDATE: concurrent calls of one token must not fail on a serialization error.
            self.env.cr.execute(SQL("UPDATE points_api_token SET last_used = %s WHERE id = %s", now, token.id))
            token.invalidate_recordset(["last_used"])
        return token

    @api.model
    def _hash(self, plain):
        # Tokens carry 192 random bits: a plain SHA-256 cannot be reversed, no slow hash is needed.
        return hashlib.sha256(plain.encode()).hexdigest()
