from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ReferralCase
from ..models.points_referral_node import CODE_ALPHABET, CODE_LENGTH


@tagged("post_install", "-at_install")
class TestBinding(ReferralCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a, cls.b, cls.c, cls.d = cls.make_members(4, "Bind ")

    def set_mode(self, mode, days=0):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("points_referral.binding_mode", mode)
        params.set_param("points_referral.rebind_days", str(days))

    def tree_state(self):
        self.env.invalidate_all()
        partners = self.a | self.b | self.c | self.d
        return ([(p.id, p.referrer_id.id, p.referral_depth, p.referral_team_size, p.referral_direct_count,
                  tuple(p._referral_path())) for p in partners],
                self.env["points.referral.move"].search_count([]))

    def test_codes_are_short_unique_unguessable_and_case_insensitive(self):
        codes = (self.a | self.b | self.c | self.d).mapped("referral_code")
        self.assertEqual(len(set(codes)), len(codes))
        for code in codes:
            self.assertEqual(len(code), CODE_LENGTH)
            self.assertTrue(set(code) <= set(CODE_ALPHABET))
        Partner = self.env["res.partner"]
        self.assertEqual(Partner._find_by_referral_code(self.a.referral_code.lower()), self.a)
        self.assertEqual(Partner._find_by_referral_code(f" {self.a.referral_code[:4]} {self.a.referral_code[4:]} "),
                         self.a)
        self.assertFalse(Partner._find_by_referral_code("NOSUCHCODE"))
        self.assertFalse(Partner._find_by_referral_code(""))

    def test_only_members_have_codes_and_are_found_by_them(self):
        contact = self.env["res.partner"].create({"name": "Just a contact"})
        self.assertFalse(contact.referral_code, "contacts who are not members need no code")
        self.enroll(contact)
        code = contact.referral_code
        self.assertTrue(code, "the code comes with the wallet")
        Partner = self.env["res.partner"]
        self.assertEqual(Partner._find_by_referral_code(code), contact)
        self.assertFalse(Partner._find_by_referral_code(code, company=self.env.ref("base.main_company")),
                         "a member of another company is nobody here")
        self.wallet(contact).action_block()
        self.assertFalse(Partner._find_by_referral_code(code), "a blocked member refers nobody")
        self.assertEqual(contact.referral_code, code, "codes given stay")

    def test_only_active_members_may_refer(self):
        company_contact = self.company.partner_id
        company_contact.referral_code = "COMPANY2"
        customer_company = self.enroll(self.env["res.partner"].create({"name": "Customer Co", "is_company": True}))
        no_wallet = self.env["res.partner"].create({"name": "No wallet"})
        blocked = self.make_members(1, "Blocked ")
        self.wallet(blocked).action_block()
        before = self.tree_state()
        for referrer, reason in ((company_contact, "(is a company|contact of a company)"),
                                 (customer_company, "is a company"), (no_wallet, "no points wallet"),
                                 (blocked, "is blocked")):
            for via in ("code", "order", "staff"):
                with self.subTest(referrer=referrer.name, via=via), \
                        self.assertRaisesRegex(UserError, f"Only active members can refer others.*{reason}"):
                    self.a._bind_referrer(referrer, via=via, reason="test")
        self.assertEqual(self.tree_state(), before)

    def test_share_link_and_qr_code_carry_the_code(self):
        self.assertTrue(self.a.referral_share_url.endswith(f"/points/r/{self.a.referral_code}"))
        self.assertTrue(self.a.referral_qr_code)

    def test_binding_by_code_updates_the_path_and_logs_the_move(self):
        move = self.b._bind_referrer(self.a, via="code")
        self.assertEqual(self.b.referrer_id, self.a)
        self.assertEqual(self.b.referral_bound_via, "code")
        self.assertEqual(self.b._referral_path(), [self.a.id, self.b.id])
        self.assertEqual(self.b.referral_depth, 1)
        self.assertEqual((self.a.referral_direct_count, self.a.referral_team_size), (1, 1))
        self.assertEqual((move.partner_id, move.old_referrer_id, move.new_referrer_id, move.via, move.user_id),
                         (self.b, self.a.browse(), self.a, "code", self.env.user))
        self.assertEqual(move.subtree_size, 1)

    def test_nobody_refers_themselves_and_nothing_changes(self):
        self.b._bind_referrer(self.a, via="code")
        before = self.tree_state()
        with self.assertRaisesRegex(UserError, "own referrer"):
            self.a._bind_referrer(self.a, via="code")
        with self.assertRaisesRegex(UserError, "own referrer"):
            self.a._bind_referrer(self.a, via="staff", reason="test")
        self.assertEqual(self.tree_state(), before)

    def test_binding_into_ones_own_downline_is_refused_and_changes_nothing(self):
        self.b._bind_referrer(self.a, via="code")
        self.c._bind_referrer(self.b, via="code")
        before = self.tree_state()
        with self.assertRaisesRegex(UserError, "in the team of"):
            self.a._bind_referrer(self.c, via="staff", reason="loop")
        with self.assertRaisesRegex(UserError, "in the team of"):
            self.a._bind_referrer(self.b, via="code")
        self.assertEqual(self.tree_state(), before)

    def test_bind_once_is_the_default_and_staff_can_still_move_with_a_reason(self):
        self.env["ir.config_parameter"].sudo().search([("key", "=", "points_referral.binding_mode")]).unlink()
        self.c._bind_referrer(self.a, via="code")
        before = self.tree_state()
        with self.assertRaisesRegex(UserError, "bind once"):
            self.c._bind_referrer(self.b, via="code")
        with self.assertRaisesRegex(UserError, "Say why"):
            self.c._bind_referrer(self.b, via="staff")
        self.assertEqual(self.tree_state(), before)
        move = self.c._bind_referrer(self.b, via="staff", reason="Customer asked to change")
        self.assertEqual(self.c.referrer_id, self.b)
        self.assertEqual((move.old_referrer_id, move.new_referrer_id, move.reason),
                         (self.a, self.b, "Customer asked to change"))

    def test_rebind_allowed_mode(self):
        self.set_mode("rebind")
        self.c._bind_referrer(self.a, via="code")
        self.c._bind_referrer(self.b, via="code")
        self.assertEqual(self.c.referrer_id, self.b)
        self.assertEqual((self.a.referral_team_size, self.b.referral_team_size), (0, 1))

    def test_rebind_within_days_mode(self):
        self.set_mode("window", days=7)
        start = fields.Datetime.now()
        with freeze_time(start):
            self.c._bind_referrer(self.a, via="code")
        with freeze_time(start + timedelta(days=6)):
            self.c._bind_referrer(self.b, via="code")
        self.assertEqual(self.c.referrer_id, self.b)
        with freeze_time(start + timedelta(days=6 + 8)):
            before = self.tree_state()
            with self.assertRaisesRegex(UserError, "more than 7 days"):
                self.c._bind_referrer(self.a, via="code")
            self.assertEqual(self.tree_state(), before)

    def test_only_the_first_order_binds(self):
        self.set_mode("rebind")
        self.pay_line(self.d)
        with self.assertRaisesRegex(UserError, "first order"):
            self.d._bind_referrer(self.a, via="order")
        self.c._bind_referrer(self.a, via="order")
        self.assertEqual(self.c.referral_bound_via, "order")

    def test_archived_referrer_is_refused(self):
        self.a.active = False
        with self.assertRaisesRegex(UserError, "archived"):
            self.b._bind_referrer(self.a, via="code")

    def test_subtree_moves_keep_every_path_and_team_size_right(self):
        # a ← b ← c ← d, plus a chain of five under d; then move b (with everything below) under a new top.
        self.b._bind_referrer(self.a, via="code")
        self.c._bind_referrer(self.b, via="code")
        self.d._bind_referrer(self.c, via="code")
        tail = self.make_chain(5, top=self.d, prefix="Tail ")
        top = self.make_members(1, "Top ")
        self.b._bind_referrer(top, via="staff", reason="reorganisation")
        everyone = self.a | self.b | self.c | self.d | tail | top
        self.assertTreeConsistent(everyone)
        self.assertEqual(tail[-1]._get_ancestors(), tail[-2::-1] | self.d | self.c | self.b | top)
        self.assertEqual(tail[-1]._get_ancestors(limit=2), tail[-2] | tail[-3])
        self.assertEqual(top._get_downline(), (self.b | self.c | self.d | tail).sorted("id"))
        self.assertFalse(self.a._get_downline())
        self.assertEqual((top.referral_team_size, self.a.referral_team_size, self.c.referral_team_size), (8, 0, 6))
        self.assertEqual(tail[-1].referral_depth, 8)
        # Back to the top of its own tree.
        self.c._bind_referrer(self.env["res.partner"], via="staff", reason="independent team")
        self.assertTreeConsistent(everyone)
        self.assertEqual((self.c.referral_depth, top.referral_team_size, self.b.referral_direct_count), (0, 1, 0))
        self.assertEqual(self.env["points.referral.move"].search([("partner_id", "=", self.c.id)], limit=1)
                         .subtree_size, 7)

    def assertTreeConsistent(self, partners):
        """Every stored path, depth, direct count and team size equals what the referrer links say."""
        self.env.invalidate_all()
        for partner in partners:
            chain, node = [], partner
            while node:
                chain.insert(0, node.id)
                node = node.referrer_id
            self.assertEqual(partner._referral_path(), chain, partner.name)
            self.assertEqual(partner.referral_depth, len(chain) - 1, partner.name)
            self.assertEqual(partner.referral_direct_count, len(partner.referee_ids), partner.name)
            self.assertEqual(partner.referral_team_size, len(partner._get_downline()), partner.name)
            self.assertEqual(
                self.env["res.partner"].search([("referral_team_of", "=", partner.id)]), partner._get_downline())

    def test_writing_the_referrer_goes_through_the_binding_rules(self):
        self.b.referrer_id = self.a
        self.assertEqual(self.b.referral_bound_via, "staff")
        with self.assertRaisesRegex(UserError, "in the team of"):
            self.a.referrer_id = self.b
        created = self.env["res.partner"].create({"name": "New", "referrer_id": self.b.id})
        self.assertEqual(created._referral_path(), [self.a.id, self.b.id, created.id])

    def test_members_bind_only_themselves_and_only_managers_move_bound_members(self):
        portal = new_test_user(self.env, "ref_portal_binder", groups="base.group_portal")
        user = new_test_user(self.env, "ref_points_user", groups="base.group_user,points_pool.group_points_user")
        portal.partner_id.with_user(portal)._bind_referrer(self.a, via="code")
        self.assertEqual(portal.partner_id.referrer_id, self.a)
        with self.assertRaises(AccessError):
            self.c.with_user(portal)._bind_referrer(self.a, via="code")
        self.c.with_user(user)._bind_referrer(self.a, via="staff", reason="first binding by staff")
        with self.assertRaises(AccessError):
            self.c.with_user(user)._bind_referrer(self.b, via="staff", reason="move")

    def test_deleting_a_leaf_keeps_team_sizes(self):
        self.b._bind_referrer(self.a, via="code")
        leaf = self.env["res.partner"].create({"name": "Leaf"})  # a contact without a wallet may be deleted
        leaf._bind_referrer(self.b, via="staff", reason="test leaf")
        self.assertEqual(self.a.referral_team_size, 2)
        leaf.unlink()
        self.env.invalidate_all()
        self.assertEqual((self.a.referral_team_size, self.b.referral_team_size, self.b.referral_direct_count),
                         (1, 0, 0))
