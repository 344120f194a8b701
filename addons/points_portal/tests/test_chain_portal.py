from odoo.exceptions import AccessError
from odoo.tests import JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .common import PortalCase, PortalHttpCase

TEAM_MEMBER_KEYS = {"id", "name", "identity", "identity_label", "via", "via_label", "program_id", "program"}


@tagged("post_install", "-at_install")
class TestChainService(PortalCase):
    """The chain reward 2+1 of the member service: the member's own identity, team, lines, fund and task."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chain()

    def chain_of(self, user):
        service = self.service(user)
        [program] = self.serialize(user).chain(service._pool().currency_id, service._chain_states())["programs"]
        return program

    def test_a_boss_reads_identity_team_lines_fund_and_task(self):
        chain = self.chain_of(self.user_b)
        self.assertEqual((chain["identity"], chain["team_boss"], chain["team_size"]), ("boss", None, 2))
        self.assertEqual([(line["name"], line["identity"], line["qualified"], line["orders"]) for line in chain["lines"]],
                         [("Member C", "agent", True, 0), ("Member D", "agent", True, 0)])
        self.assertEqual(chain["fund"], 140.0)
        self.assertEqual(chain["fund_rate"], 20.0, "a percentage, as the API documents it")
        self.assertEqual(chain["task"], {"lines_qualified": 2, "lines_needed": 2, "orders_done": 0,
                                         "orders_needed": 21, "met": False})
        self.assertEqual(chain["earned"], {"direct": 500.0, "see_point": 200.0, "peer": 0.0, "total": 700.0})
        self.assertFalse(chain["fund_released"])
        rows, total = self.service(self.user_b)._chain_team()
        self.assertEqual(total, 2)
        self.assertEqual({(row["name"], row["identity"], row["via"])
                          for row in map(self.serialize(self.user_b).chain_team_member, rows)},
                         {("Member E", "agent", "joined"), ("Member F", "agent", "inherited")})

    def test_an_agent_reads_its_boss_by_name_and_what_it_still_needs(self):
        chain = self.chain_of(self.user_e)
        self.assertEqual((chain["identity"], chain["team_boss"], chain["team_size"]), ("agent", "Member B", 0))
        self.assertEqual((chain["agent_referrals"], chain["agent_referrals_to_boss"]), (1, 2))
        self.assertEqual([line["name"] for line in chain["lines"]], ["Member F"])
        self.assertEqual((chain["fund"], chain["earned"]["direct"]), (20.0, 100.0))
        self.assertEqual(self.service(self.user_e)._chain_team()[1], 0)

    def test_a_member_outside_the_chain_reads_an_empty_state(self):
        outsider = self.portal_member("member_g", "Member G")
        chain = self.chain_of(outsider)
        self.assertEqual((chain["identity"], chain["team_boss"], chain["team_size"], chain["lines"], chain["fund"]),
                         ("member", None, 0, [], 0.0))
        self.assertFalse(chain["task"]["met"])
        self.assertFalse(self.env["points.chain.member"].search([("partner_id", "=", outsider.partner_id.id)]),
                         "reading creates no chain row")

    def test_a_member_reads_no_chain_row_of_others_but_its_team(self):
        Member = self.member_env(self.user_a)["points.chain.member"]
        self.assertEqual(Member.search([]).partner_id, self.a)
        self.assertEqual(self.member_env(self.user_b)["points.chain.member"].search([]).partner_id,
                         self.b | self.e | self.f)
        row_b = self.env["points.chain.member"].search([("partner_id", "=", self.b.id)])
        with self.assertRaises(AccessError):
            row_b.with_env(self.member_env(self.user_a)).read(["fund", "line_ids"])
        with self.assertRaises(AccessError):
            row_b.with_env(self.member_env(self.user_e)).read(["fund"])
        self.assertEqual(self.chain_of(self.user_a)["team_size"], 0)

    def test_chain_rewards_are_listed_by_kind(self):
        service = self.service(self.user_b)
        rewards, total = service._rewards(chain_kind="see_point")
        self.assertEqual(total, 2, "the paid part and the part held in the chain fund")
        self.assertEqual(sorted((data["chain_kind"], data["chain_fund"], data["amount"])
                                for data in map(self.serialize(self.user_b).reward, rewards)),
                         [("see_point", False, 160.0), ("see_point", True, 40.0)])
        self.assertEqual(service._rewards(chain=True)[1], 8)
        self.assertEqual(self.serialize(self.user_b).reward(self.reward_b)["chain_kind"], None, "a level reward")


@tagged("post_install", "-at_install")
class TestChainHttp(PortalHttpCase):
    """The chain page and API over HTTP, and what a member reaches over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chain()
        Token = cls.env["points.api.token"]
        cls.token_e = Token.with_user(cls.user_e).with_company(cls.company)._issue("Phone E")[1]

    def page(self, url, status=200):
        response = self.url_open(url)
        self.assertEqual(response.status_code, status, url)
        return response.text

    def test_api_chain_answers_the_members_own_state(self):
        status, body = self.api("GET", "/chain", self.token_b)
        self.assertEqual(status, 200, body)
        [chain] = body["programs"]
        self.assertEqual((body["currency"], chain["program"], chain["identity"], chain["team_size"], chain["fund"]),
                         (self.company.currency_id.name, "Package 2+1", "boss", 2, 140.0))
        self.assertEqual([line["name"] for line in chain["lines"]], ["Member C", "Member D"])
        self.assertEqual((chain["task"]["orders_done"], chain["task"]["orders_needed"]), (0, 21))
        status, body = self.api("GET", "/chain", self.token_e)
        self.assertEqual((body["programs"][0]["identity"], body["programs"][0]["team_boss"]), ("agent", "Member B"))

    def test_api_chain_team_gives_names_and_identities_only(self):
        status, body = self.api("GET", "/chain/team", self.token_b, params={"limit": 1})
        self.assertEqual(status, 200, body)
        self.assertEqual((body["total"], len(body["items"])), (2, 1))
        status, body = self.api("GET", "/chain/team", self.token_b)
        self.assertEqual({item["name"] for item in body["items"]}, {"Member E", "Member F"})
        for item in body["items"]:
            self.assertEqual(set(item), TEAM_MEMBER_KEYS)
        self.assertNotIn("member.f@example.com", str(body))
        self.assertApiError(self.api("GET", "/chain/team", self.token_b, params={"limit": "x"}), 400, "invalid_input")
        self.assertApiError(self.api("GET", "/chain"), 401, "missing_token")

    def test_another_member_sees_nothing_of_a_bosss_chain(self):
        status, body = self.api("GET", "/chain", self.token_a)
        self.assertEqual(status, 200, body)
        [chain] = body["programs"]
        self.assertEqual((chain["identity"], chain["team_size"], chain["lines"], chain["fund"]), ("agent", 0, [], 0.0))
        for name in ("Member B", "Member E", "Member F", "Member C"):
            self.assertNotIn(name, str(body))
        self.assertEqual(self.api("GET", "/chain/team", self.token_a)[1]["total"], 0)
        self.authenticate("member_a", "member_a")
        html = self.page("/my/points/chain")
        self.assertIn("o_points_chain_program", html)
        for name in ("Member E", "Member F", "Member C"):
            self.assertNotIn(name, html)

    def test_api_rewards_filter_chain_kinds(self):
        status, body = self.api("GET", "/rewards", self.token_b, params={"chain_kind": "direct"})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["total"], 6, "three direct rewards, each a paid part and a part in the fund")
        self.assertEqual({item["chain_kind"] for item in body["items"]}, {"direct"})
        self.assertApiError(self.api("GET", "/rewards", self.token_b, params={"chain_kind": "bonus"}), 400,
                            "invalid_input")

    def test_the_chain_page_shows_identity_team_lines_and_fund(self):
        self.authenticate("member_b", "member_b")
        html = self.page("/my/points/chain")
        for expected in ("o_points_chain_identity", "Boss", "Member C", "Member D", "Member E", "Member F",
                         "140.00", "o_points_chain_reward_row", 'href="/my/points/chain"'):
            self.assertIn(expected, html)
        self.assertNotIn("member.f@example.com", html)
        self.assertIn("Package 2+1", self.page("/my/points/rewards"))
        self.authenticate("member_e", "member_e")
        html = self.page("/my/points/chain")
        self.assertIn("o_points_chain_boss", html)
        self.assertIn("Member B", html)
        self.assertNotIn("o_points_chain_team_row", html, "E has no team of its own")

    def test_without_a_chain_program_the_tab_is_hidden(self):
        self.chain_program.action_disable()
        outsider = self.portal_member("member_g", "Member G")
        self.authenticate(outsider.login, outsider.login)
        self.assertNotIn('href="/my/points/chain"', self.page("/my/points"))
        self.page("/my/points/chain", status=404)
        # a member with a chain row still reads it
        self.authenticate("member_b", "member_b")
        self.assertIn("o_points_chain_program", self.page("/my/points/chain"))

    @mute_logger("odoo.http")
    def test_json_rpc_reaches_no_chain_data_of_others(self):
        row_b = self.env["points.chain.member"].search([("partner_id", "=", self.b.id)])
        context = {"allowed_company_ids": [self.company.id]}

        def call(model, method, args, **kwargs):
            return self.make_jsonrpc_request("/web/dataset/call_kw", {
                "model": model, "method": method, "args": args, "kwargs": dict(kwargs, context=context)})

        self.authenticate("member_a", "member_a")
        for method in ("action_open_team", "action_open_team_list", "action_gift_boss"):
            with self.subTest(method=method), self.assertRaises(JsonRpcException) as refusal:
                call("points.chain.member", method, [row_b.ids])
            self.assertEqual(str(refusal.exception), "odoo.exceptions.AccessError")
        with self.assertRaises(JsonRpcException) as refusal:
            call("points.chain.member", "read", [row_b.ids, ["fund", "line_ids"]])
        self.assertEqual(str(refusal.exception), "odoo.exceptions.AccessError")
        self.assertFalse(call("points.chain.member", "search_read", [[("partner_id", "=", self.b.id)]],
                              fields=["identity"]))
        # a boss reads its team's chain rows, never its members' contact data
        self.authenticate("member_b", "member_b")
        rows = call("points.chain.member", "search_read", [[]], fields=["partner_id", "identity"])
        self.assertEqual({row["partner_id"][0] for row in rows}, {self.b.id, self.e.id, self.f.id})
        with self.assertRaises(JsonRpcException) as refusal:
            call("res.partner", "read", [self.f.ids, ["email", "phone"]])
        self.assertEqual(str(refusal.exception), "odoo.exceptions.AccessError")
        with self.assertRaises(JsonRpcException) as refusal:
            call("points.chain.member", "action_open_team", [row_b.ids])
        self.assertEqual(str(refusal.exception), "odoo.exceptions.AccessError")
        self.assertEqual(row_b.identity, "boss")

    def test_staff_opens_a_bosss_team_tree(self):
        clerk = new_test_user(self.env, "chain_clerk", groups="base.group_user,points_pool.group_points_user",
                              company_id=self.company.id, company_ids=[self.company.id])
        self.authenticate(clerk.login, clerk.login)
        row_b = self.env["points.chain.member"].search([("partner_id", "=", self.b.id)])
        action = self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": "points.chain.member", "method": "action_open_team", "args": [row_b.ids],
            "kwargs": {"context": {"allowed_company_ids": [self.company.id]}}})
        self.assertEqual(action["res_model"], "points.chain.member")
        rows = self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": "points.chain.member", "method": "hierarchy_read",
            "args": [action["domain"], ["partner_id", "identity"], "team_parent_id", "team_member_ids"],
            "kwargs": {"context": dict(action["context"], allowed_company_ids=[self.company.id])}})
        self.assertEqual({row["partner_id"][0] for row in rows}, {self.b.id, self.e.id, self.f.id})
