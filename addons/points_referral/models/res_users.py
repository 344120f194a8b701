import logging

from odoo import models
from odoo.exceptions import UserError
from odoo.http import request

_logger = logging.getLogger(__name__)

#: Cookie set by the share link (/points/r/<code>) and read when the visitor signs up.
REFERRAL_COOKIE = "points_referral_code"


class ResUsers(models.Model):
    _inherit = "res.users"

    def _signup_create_user(self, values):
        """A visitor who came through a member's share link is bound to that member when signing up."""
        user = super()._signup_create_user(values)
        code = request and request.httprequest.cookies.get(REFERRAL_COOKIE)
        referrer = code and self.env["res.partner"]._find_by_referral_code(code)
        if referrer:
            try:
                user.partner_id.sudo()._bind_referrer(referrer, via="code")
            except UserError as error:
                # The account is created either way; the refused binding is logged, not hidden.
                _logger.warning("Sign-up of %s: referral code %s not bound: %s", user.login, code, error)
        return user
