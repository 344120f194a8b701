import json
from contextlib import contextmanager
from unittest.mock import patch

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user

from odoo.addons.points_portal.controllers.serializers import MemberSerializer
from odoo.addons.points_reward.tests.common import RewardCase

#: Member B's referral code, fixed so that browser tours can type it.
CODE_B = "TEAMB234"


class MemberFixture:
    """Two portal members of the test company, A and B, each with points, cash and a history.

    B refers C, whose order pays B a frozen level-1 reward; B has a withdrawal request
    waiting for approval. A has no referrer yet, so A may bind with B's code.
    """

    @classmethod
    def setup_members(cls):
        cls.rule("level", level=1, basis="fixed", value=100)
        cls.user_a = cls.portal_member("member_a", "Member A")
        cls.user_b = cls.portal_member("member_b", "Member B")
        cls.a, cls.b = cls.user_a.partner_id, cls.user_b.partner_id
        cls.b.with_context(points_referral_internal=True).referral_code = CODE_B
        cls.c = cls.enroll(cls.env["res.partner"].create({"name": "Member C", "company_id": cls.company.id}))
        cls.c._bind_referrer(cls.b, via="staff", reason="Fixture team")
        for buyer in (cls.a, cls.b, cls.c):
            cls.env["points.allocation"]._allocate(
                cls.env["res.partner.category"].create({"name": f"Order of {buyer.name}"}), order=None,
                partner=buyer, product=cls.product, quantity=1, amount=1000.0, company=cls.company)._on_paid()
        cls.pool.sell(cls.a, 50)
        cls.pool.sell(cls.b, 50)
        cls.withdrawal_b = cls.env["points.withdrawal"]._request(cls.b, 10.0, company=cls.company)
        cls.reward_b = cls.env["points.reward"].search([("partner_id", "=", cls.b.id)])
        cls.env.invalidate_all()

    @classmethod
    def setup_chain(cls):
        """A chain program 2+1 (points_chain) and its package orders: A and B buy a package (agents); B's referrals
        C and D buy (agents, B's contributed lines); E, B's third agent referral, makes B a boss and joins B's team;
        F, E's referral, buys and joins B's team through E (E's contributed line). E is a portal member too.
        B earned 100 + 100 + 300 direct and 200 see-point: 700.00, 140.00 of it held in the chain fund."""
        cls.raise_depth(100)
        cls.chain_program = cls.env["points.chain.program"].create({
            "name": "Package 2+1", "company_id": cls.company.id,
            "product_tmpl_ids": [Command.set(cls.product.product_tmpl_id.ids)]})
        cls.chain_program.action_enable()
        cls.user_e = cls.portal_member("member_e", "Member E")
        cls.e = cls.user_e.partner_id
        Partner = cls.env["res.partner"]
        cls.d = cls.enroll(Partner.create({"name": "Member D", "company_id": cls.company.id}))
        cls.f = cls.enroll(Partner.create({"name": "Member F", "company_id": cls.company.id,
                                           "email": "member.f@example.com", "phone": "+86 139 0000 0000"}))
        for referee, referrer in ((cls.d, cls.b), (cls.e, cls.b), (cls.f, cls.e)):
            referee._bind_referrer(referrer, via="staff", reason="Fixture chain")
        Member = cls.env["points.chain.member"]
        for buyer in (cls.b, cls.a, cls.c, cls.d, cls.e, cls.f):
            line = cls.env["res.partner.category"].create({"name": f"Package of {buyer.name}"})
            Member._package_paid(cls.chain_program, line, buyer, 330)
        cls.env.invalidate_all()

    @classmethod
    def portal_member(cls, login, name):
        user = new_test_user(cls.env, login, groups="base.group_portal", name=name, company_id=cls.company.id,
                             company_ids=[cls.company.id])
        cls.enroll(user.partner_id)
        return user

    def wallet_of(self, partner):
        return self.env["points.wallet"]._get_for_partner(partner, self.company, create=False)

    def member_env(self, user):
        return self.env(user=user, context=dict(self.env.context, allowed_company_ids=[self.company.id]))

    @contextmanager
    def busy_pool(self):
        """As if another transaction held the pool: requests stay pending until ``pool._apply_pending()``."""
        with patch.object(type(self.env["points.pool"]), "_apply_now", lambda pool: False):
            yield


class PortalCase(MemberFixture, RewardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_members()

    def service(self, user):
        return self.member_env(user)["points.member.service"]

    def serialize(self, user):
        """The serializer of the API and the portal, for ``user``."""
        return MemberSerializer(self.member_env(user))

    def wallet_card(self, user):
        """The wallet card ``user`` reads (GET /wallet, every portal page)."""
        service = self.service(user)
        return self.serialize(user).wallet(service._pool(), service._wallet())


class PortalHttpCase(MemberFixture, HttpCase, RewardCase):
    """Over real HTTP: the API with Bearer tokens, the portal with a signed-in member."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_members()
        Token = cls.env["points.api.token"]
        cls.token_a = Token.with_user(cls.user_a).with_company(cls.company)._issue("Phone A")[1]
        cls.token_b = Token.with_user(cls.user_b).with_company(cls.company)._issue("Phone B")[1]

    def api(self, method, path, token=None, body=None, raw=None, params=None):
        """Calls the API; returns (status, decoded JSON body)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        if data is not None:
            headers["Content-Type"] = "application/json"
        response = self.opener.request(method, f"{self.base_url()}/points/api/v1{path}", data=data,
                                       headers=headers, params=params, timeout=30)
        return response.status_code, response.json()

    def assertApiError(self, result, status, code):
        self.assertEqual(result[0], status, result[1])
        self.assertEqual(result[1]["error"]["code"], code, result[1])
        self.assertTrue(result[1]["error"]["message"])
