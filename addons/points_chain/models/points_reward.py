from odoo import api, fields, models

from odoo.addons.points_reward.models.points_reward_rule import RULE_TYPES

from .points_chain_program import KIND_SELECTION


class PointsRewardRule(models.Model):
    _inherit = "points.reward.rule"

    rule_type = fields.Selection(selection_add=[("chain", "Chain reward 2+1")], ondelete={"chain": "cascade"})

    def _warning_message(self):
        if self.rule_type == "chain":
            return False
        return super()._warning_message()

    @api.model
    def _for_line(self, company, plan=None, rule_types=None):
        """Chain rules (paid by their programs, see points.chain.event) come after the others, in sequence."""
        types = list(rule_types) if rule_types else [key for key, _label in RULE_TYPES] + ["chain"]
        others = [kind for kind in types if kind != "chain"]
        rules = super()._for_line(company, plan, others) if others else self.browse()
        if "chain" in types:
            chain = self.sudo().search([("company_id", "=", company.id), ("rule_type", "=", "chain")]).filtered(
                lambda rule: not rule.plan_ids or plan in rule.plan_ids)
            rules |= chain.sorted(lambda rule: (rule.sequence, rule.id))
        return rules


class PointsReward(models.Model):
    """Chain rewards are reward rows of the program's rules: the paid part under its reward rule, the part held
    in the chain fund under its fund rule (frozen without a release date until the task is met)."""

    _inherit = "points.reward"

    chain_program_id = fields.Many2one("points.chain.program", string="Chain Program", readonly=True,
                                       index="btree_not_null", ondelete="restrict")
    chain_kind = fields.Selection(KIND_SELECTION, string="Chain Kind", readonly=True)
    chain_fund = fields.Boolean("In the Chain Fund", readonly=True)

    _sql_constraints = [
        ("chain_kind_uniq", "unique(source_model, source_id, partner_id, chain_kind, chain_fund)",
         "A member earns one chain reward of a kind per source line."),
    ]

    def _set_delivered(self, delivered_at):
        # The chain fund is released by its task, never by a delivery.
        return super(PointsReward, self.filtered(lambda r: not r.chain_fund))._set_delivered(delivered_at)
