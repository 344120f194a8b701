from odoo import http
from odoo.http import request

from ..models.res_users import REFERRAL_COOKIE

#: How long a share link is remembered before the visitor signs up.
COOKIE_DAYS = 30


class ReferralController(http.Controller):
    @http.route("/points/r/<string:code>", type="http", auth="public", sitemap=False)
    def referral_link(self, code, **kwargs):
        """A member's share link: remembers the referral code, then opens the sign-up page."""
        referrer = request.env["res.partner"]._find_by_referral_code(code)
        response = request.redirect("/web/signup" if referrer else "/web/login")
        if referrer:
            response.set_cookie(REFERRAL_COOKIE, referrer.sudo().referral_code, max_age=COOKIE_DAYS * 24 * 3600,
                                httponly=True, samesite="Lax")
        return response
