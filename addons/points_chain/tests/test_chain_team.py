from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ChainCase


@tagged("post_install", "-at_install")
class TestChainTeam(ChainCase):
    """The back office's team views: each chain row below the row of its team boss, a boss's team as a list and
    as a tree."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(cls.env, "chain_team_clerk", groups="base.group_user,points_pool.group_points_user",
                                  company_id=cls.company.id, company_ids=[cls.company.id])

    def setUp(self):
        super().setUp()
        self.build_to_a()
        for key in ["A", "a1", "a2", "X"]:
            self.buy(key)
        self.Member = self.env["points.chain.member"].with_user(self.clerk).with_company(self.company)

    def rows(self, *keys):
        return self.Member.browse([self.member(key).id for key in keys])

    def test_each_row_sits_below_its_team_boss(self):
        # U's team: T, the referral that made U a boss, and T's contributed lines; T's team: t3 and A (a boss) with
        # A's contributed lines. U's own contributed lines u1 and u2 went to U's team boss: nobody.
        self.assertEqual(self.rows("U").team_member_ids, self.rows("T", "t1", "t2"))
        self.assertEqual(self.rows("T").team_member_ids, self.rows("t3", "A", "a1", "a2"))
        self.assertEqual(self.rows("A").team_member_ids, self.rows("X"))
        self.assertEqual(self.rows("a1").team_parent_id, self.rows("T"))
        self.assertFalse(self.rows("U").team_parent_id)
        self.assertFalse(self.rows("u1").team_parent_id)
        self.assertFalse(self.rows("X").team_member_ids)
        self.assertEqual(self.rows("T").team_size, len(self.rows("T").team_member_ids))

    def test_the_team_parent_is_searchable_as_the_hierarchy_view_searches_it(self):
        program = [("program_id", "=", self.program.id)]
        self.assertEqual(self.Member.search([*program, ("team_parent_id", "=", self.member("T").id)]),
                         self.rows("t3", "A", "a1", "a2"))
        self.assertEqual(self.Member.search([*program, ("team_parent_id", "in", self.rows("T", "A").ids)]),
                         self.rows("t3", "A", "a1", "a2", "X"))
        self.assertEqual(self.Member.search([*program, ("team_parent_id", "=", False)]), self.rows("U", "u1", "u2"))
        self.assertEqual(self.Member.search([*program, ("team_parent_id", "!=", False)]),
                         self.Member.search(program) - self.rows("U", "u1", "u2"))

    def test_the_team_tree_of_a_boss_starts_at_the_boss(self):
        action = self.rows("T").action_open_team()
        self.assertEqual(action["res_model"], "points.chain.member")
        self.assertEqual(action["view_mode"].split(",")[0], "hierarchy")
        rows = self.Member.with_context(action["context"]).hierarchy_read(
            action["domain"], ["partner_id", "identity"], "team_parent_id", "team_member_ids")
        self.assertEqual({row["id"] for row in rows}, set(self.rows("T", "t3", "A", "a1", "a2").ids),
                         "T on top with its team; U, T's own team boss, and U's team stay out")
        self.assertFalse(next(row for row in rows if row["id"] == self.member("T").id)["team_parent_id"])
        # Without the focus, Odoo's tree shows the member with its boss (U) and its boss's team
        plain = self.Member.hierarchy_read(action["domain"], ["partner_id"], "team_parent_id", "team_member_ids")
        self.assertIn(self.member("U").id, {row["id"] for row in plain})

    def test_the_team_list_of_a_boss_lists_its_team(self):
        action = self.rows("A").action_open_team_list()
        self.assertEqual(self.Member.search(action["domain"]), self.rows("X"))
        self.assertIn("A", action["display_name"])

    def test_the_team_views_load(self):
        views = self.Member.get_views([(False, "hierarchy"), (False, "list"), (False, "form")])
        self.assertIn("team_parent_id", views["views"]["hierarchy"]["arch"])
        action = self.env.ref("points_chain.points_chain_team_hierarchy_action")
        roots = self.Member.hierarchy_read([*safe_eval(action.domain), ("team_parent_id", "=", False)],
                                           ["partner_id", "team_member_ids"], "team_parent_id", "team_member_ids")
        self.assertEqual([row["id"] for row in roots], self.rows("U", "u1", "u2").ids,
                         "the top boss and its contributed lines, in no team, are the roots of the tree")
        self.assertEqual(set(roots[0]["team_member_ids"]), set(self.rows("T", "t1", "t2").ids))

    def test_only_points_users_open_the_team_views(self):
        portal = new_test_user(self.env, "chain_team_portal", groups="base.group_portal",
                               partner_id=self.m["T"].id)
        own = self.member("T").with_user(portal)
        for method in ("action_open_team", "action_open_team_list"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(own, method)()


@tagged("post_install", "-at_install")
class TestChainTeamTour(HttpCase, ChainCase):
    """The team tree in the browser: Odoo's hierarchy view on the computed team rows."""

    def test_the_team_tree_opens_onto_a_bosss_team(self):
        self.build_to_a()
        clerk = new_test_user(self.env, "chain_tree_clerk", groups="base.group_user,points_pool.group_points_user",
                              company_id=self.company.id, company_ids=[self.company.id])
        self.start_tour("/odoo/action-points_chain.points_chain_team_hierarchy_action", "points_chain_team_tree_tour",
                        login=clerk.login)
