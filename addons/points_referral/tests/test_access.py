from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ReferralCase


@tagged("post_install", "-at_install")
class TestReferralAccess(ReferralCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user, cls.direct, cls.indirect = cls.portal_team("ref_portal")
        cls.me = cls.portal_user.partner_id
        cls.stranger = cls.make_members(1, "Stranger ")
        cls.env["points.rank"].browse(cls.vip.id).write({"auto_upgrade": True, "min_own_spend": 1})
        for partner in (cls.me, cls.direct, cls.indirect, cls.stranger):
            cls.env["points.allocation"]._allocate(
                cls.env["res.partner.category"].create({"name": f"Line {partner.name}"}), order=None,
                partner=partner, product=cls.product, quantity=1, amount=100.0, company=cls.company)._on_paid()

    def test_portal_member_reads_own_figures_and_no_referee_record(self):
        env = self.env(user=self.portal_user)
        Partner = env["res.partner"]
        for referee in (self.direct, self.indirect):
            with self.subTest(referee=referee.name), self.assertRaises(AccessError):
                Partner.browse(referee.id).read(["name", "email", "lang", "bank_ids"])
        self.assertFalse(Partner.search([("referrer_id", "=", self.me.id)]))
        stats = env["points.team.stat"].search([])
        self.assertEqual(stats.partner_id, self.me)
        self.assertEqual(env["points.rank.history"].search([]).partner_id, self.me)
        self.assertFalse(env["points.referral.move"].has_access("read"))

    def test_other_company_sees_nothing(self):
        company_b = self.env["res.company"].create({"name": "Referral Company B"})
        user_b = new_test_user(self.env, "ref_user_b", groups="base.group_user,points_pool.group_points_manager",
                               company_id=company_b.id, company_ids=[company_b.id])
        env_b = self.env(user=user_b, context={"allowed_company_ids": company_b.ids})
        self.assertFalse(env_b["points.rank"].search([]))
        self.assertFalse(env_b["points.team.stat"].search([]))
        self.assertFalse(env_b["points.rank.history"].search([]))
        with self.assertRaises(AccessError):
            self.vip.with_env(env_b).read(["name"])


@tagged("post_install", "-at_install")
class TestShareLink(HttpCase):
    def sharer(self):
        """A member of the company of the website's visitors (a wallet there), who shares their link."""
        member = self.env["res.partner"].create({"name": "Sharer"})
        self.env["points.wallet"]._get_for_partner(member, self.env.company)
        return member

    def test_share_link_remembers_the_code_for_sign_up(self):
        member = self.sharer()
        response = self.url_open(f"/points/r/{member.referral_code.lower()}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/signup", response.headers["Location"])
        self.assertEqual(response.cookies.get("points_referral_code"), member.referral_code)
        unknown = self.url_open("/points/r/NOSUCHCODE", allow_redirects=False)
        self.assertNotIn("points_referral_code", unknown.cookies)

    def sign_up(self, login, code=None):
        """A visitor follows ``code``'s share link (if any), then signs up on /web/signup."""
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        self.authenticate(None, None)
        if code:
            self.url_open(f"/points/r/{code}", allow_redirects=False)
        self.url_open("/web/signup", data={
            "login": login, "name": login.split("@")[0], "password": "a long enough password",
            "confirm_password": "a long enough password", "csrf_token": http.Request.csrf_token(self),
        })
        return self.env["res.users"].search([("login", "=", login)])

    def test_signing_up_after_the_share_link_binds_the_new_member(self):
        member = self.sharer()
        user = self.sign_up("newcomer@example.com", member.referral_code.lower())
        self.assertTrue(user, "the account is created")
        self.assertEqual(user.partner_id.referrer_id, member)
        move = self.env["points.referral.move"].search([("partner_id", "=", user.partner_id.id)])
        self.assertEqual((move.via, move.new_referrer_id), ("code", member))

    def test_signing_up_without_a_valid_share_link_leaves_the_member_unbound(self):
        self.sharer()
        self.opener.cookies.set("points_referral_code", "NOSUCHCODE")
        user = self.sign_up("stranger@example.com")
        self.assertTrue(user)
        self.assertFalse(user.partner_id.referrer_id)
