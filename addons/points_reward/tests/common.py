from odoo.fields import Command

from odoo.addons.points_referral.tests.common import ReferralCase


class RewardCase(ReferralCase):
    """ReferralCase plus helpers for reward rules, the depth limit and reward lookups."""

    @classmethod
    def rule(cls, rule_type, name=None, lines=(), **vals):
        """A reward rule of the test company; ``lines`` are (rank, agent level or its code, value) pairs."""
        rates = [Command.create({"rank_id": key.id, "value": value} if hasattr(key, "id") and key._name == "points.rank"
                                else {"agent_level_id": agent_level(cls.env, key).id, "value": value})
                 for key, value in lines]
        return cls.env["points.reward.rule"].create(dict(
            {"name": name or rule_type, "rule_type": rule_type, "company_id": cls.company.id, "line_ids": rates},
            **vals))

    @classmethod
    def raise_depth(cls, limit):
        wizard = cls.env["points.depth.limit.wizard"].create(
            {"pool_id": cls.pool.id, "new_limit": limit, "acknowledged": True})
        wizard.action_confirm()

    @classmethod
    def differential_rates(cls):
        """SPEC §6: 董事 30 / 联创 20 / 合伙人 10 per order."""
        return [(cls.director, 30), (cls.cofounder, 20), (cls.partner_rank, 10)]

    def reward_line(self, buyer, buckets, base_amount=1000.0, quantity=1.0, name="Line", **kwargs):
        """Runs the reward computation for a new source line with explicit bucket amounts."""
        line = self.order(name)
        rewards = self.env["points.reward"]._reward_source(
            line, buyer, buckets, self.company, base_amount=base_amount, quantity=quantity, **kwargs)
        return line, rewards

    def earned(self, rewards, partners):
        """What each of ``partners`` earned in ``rewards`` (0.0 for nothing)."""
        return [sum(rewards.filtered(lambda r: r.partner_id == partner).mapped("amount")) for partner in partners]

    def rewards_of(self, line):
        return self.env["points.reward"].search([("source_model", "=", line._name), ("source_id", "=", line.id)])


def agent_level(env, level):
    """An agent level: a record, or the code of a shipped one (``"district"``, ``"city"``, ``"province"``, ``"region"``)."""
    return env.ref(f"points_reward.agent_level_{level}") if isinstance(level, str) else level


#: Rates per unit of a regional rule over the street level and the four shipped levels.
FIVE_LEVEL_RATES = (1, 3, 5, 8, 10)


def street_level_and_agents(env, company):
    """A street level (街道) below the shipped district, city, province and region levels, one agent at each
    level covering 12 Wensan Road, Hangzhou, and a regional rule paying 1 / 3 / 5 / 8 / 10 per unit.

    Returns (levels from the street up, agents, their assignments); :func:`wensan_road` is the address.
    """
    cn, zhejiang = env.ref("base.cn"), env.ref("base.state_cn_ZJ")
    street = env["points.agent.level"].create({"name": "Street agent", "sequence": 5, "match_by": "streets",
                                               "company_id": company.id})
    levels = street | env["points.agent.level"].concat(*(agent_level(env, code) for code in (
        "district", "city", "province", "region")))
    agents = env["res.partner"].create([{"name": f"{level.name} of Wensan Road"} for level in levels])
    areas = [{"street_list": "Wensan Road\nXixi Town", "city": "Hangzhou"}, {"zip_prefix": "3100"},
             {"city": "Hangzhou", "country_id": cn.id}, {"state_id": zhejiang.id}, {"country_id": cn.id}]
    assignments = env["points.agent"].create([
        dict(area, partner_id=agent.id, level_id=level.id, company_id=company.id)
        for area, agent, level in zip(areas, agents, levels, strict=True)])
    env["points.reward.rule"].create({
        "name": "Regional agents", "rule_type": "regional", "company_id": company.id, "basis": "fixed",
        "line_ids": [Command.create({"agent_level_id": level.id, "value": rate})
                     for level, rate in zip(levels, FIVE_LEVEL_RATES, strict=True)]})
    return levels, agents, assignments


def wensan_road(env):
    """The values of a delivery address on Wensan Road, Hangzhou."""
    return {"street": "12 Wensan  road", "zip": "310012", "city": "Hangzhou",
            "state_id": env.ref("base.state_cn_ZJ").id, "country_id": env.ref("base.cn").id}


class StreetLevelMixin:
    """For channel test cases: paid lines of ``cls.product`` put 2% in the regional bucket, and a street
    level with one agent at each of the five levels covers Wensan Road (:func:`street_level_and_agents`)."""

    @classmethod
    def setup_street_level(cls):
        plan = cls.env["points.allocation.plan"].create({
            "name": "Regional package", "company_id": cls.company.id,
            "line_ids": [Command.create({"bucket": bucket, "basis": "price", "value": value})
                         for bucket, value in (("regional", 2), ("pool", 30), ("cost", 20))],
        })
        cls.product.product_tmpl_id.with_company(cls.company).points_plan_id = plan
        cls.levels, cls.agents, cls.assignments = street_level_and_agents(cls.env, cls.company)

    def order_rewards(self, order):
        return self.env["points.reward"].search([("order_model", "=", order._name), ("order_id", "=", order.id)])

    def agents_earned(self, rewards):
        """Net of ``rewards`` for each agent, from the street up."""
        return [sum(rewards.filtered(lambda r: r.partner_id == agent).mapped("net_amount")) for agent in self.agents]
