from odoo.fields import Command

from odoo.addons.points_referral.tests.common import ReferralCase


class RewardCase(ReferralCase):
    """ReferralCase plus helpers for reward rules, the depth limit and reward lookups."""

    @classmethod
    def rule(cls, rule_type, name=None, lines=(), **vals):
        """A reward rule of the test company; ``lines`` are (rank or agent level, value) pairs."""
        rates = [Command.create({"rank_id": key.id, "value": value} if hasattr(key, "id")
                                else {"agent_level": key, "value": value}) for key, value in lines]
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
