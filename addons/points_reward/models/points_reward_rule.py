from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.points_allocation.models.points_allocation_plan import bucket_selection

RULE_TYPES = [
    ("level", "Direct / indirect / level N"),
    ("rank_differential", "Rank differential"),
    ("peer", "Peer"),
    ("regional", "Regional agents"),
    ("dividend", "Dividend pool"),
    ("merchant", "Merchant recruitment"),
    ("service_point", "Service point"),
]
#: The plan bucket each kind of rule pays from unless told otherwise.
DEFAULT_BUCKETS = {
    "level": "referral", "rank_differential": "rank_differential", "peer": "peer", "regional": "regional",
    "dividend": "dividend", "merchant": "merchant", "service_point": "service_point",
}
#: Rules that walk up the referral tree, so the reward depth limit applies to them.
HIERARCHY_TYPES = ("level", "rank_differential", "peer")
#: Order rules are computed in for one line: peers need the differential, budgets are used up in this order.
TYPE_ORDER = {key: index for index, (key, _label) in enumerate(RULE_TYPES)}


class PointsRewardRule(models.Model):
    """How one allocation-plan bucket is paid out to members (SPEC §6)."""

    _name = "points.reward.rule"
    _description = "Reward Rule"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    rule_type = fields.Selection(RULE_TYPES, string="Kind", required=True, tracking=True)
    bucket = fields.Selection(
        bucket_selection, compute="_compute_bucket", store=True, precompute=True, readonly=False, required=True,
        tracking=True,
        help="The allocation-plan bucket this rule pays from: what the rules of a bucket pay for a line never "
             "exceeds what the plan put in that bucket.")
    plan_ids = fields.Many2many("points.allocation.plan", string="Plans",
                                help="Plans whose lines this rule pays for; empty: every plan.")
    level = fields.Integer(default=1, tracking=True, help="1 = direct referrer, 2 = indirect referrer, and so on.")
    min_rank_id = fields.Many2one("points.rank", string="Minimum Rank", domain="[('company_id', '=', company_id)]",
                                  help="The referrer at this level earns only with at least this rank.")
    basis = fields.Selection(
        [("percent", "% of the line amount"), ("fixed", "Fixed amount per unit"), ("bucket", "% of the bucket")],
        default="percent", required=True, tracking=True)
    value = fields.Float(digits=(12, 4), tracking=True,
                         help="Percentage or amount per unit; for peer rules the % of the differential reward.")
    line_ids = fields.One2many("points.reward.rule.line", "rule_id", string="Rates", copy=True)
    payout_mode = fields.Selection(
        [("platform", "Paid through the platform"), ("outside", "Recorded, paid outside the platform")],
        string="Payout", default="platform", required=True, tracking=True,
        help="Paid outside (线下统计发放): the rule's rewards are computed, recorded and reported (statements, "
             "export) but never credited to wallets: no frozen balance, no ledger movement, no journal entry. "
             "The operator pays them by other means; refunds reverse the recorded amounts.")
    freeze_mode = fields.Selection(
        [("days", "A number of days"), ("delivery", "Until delivery plus a return window"), ("none", "No freeze")],
        default="days", required=True, tracking=True,
        help="How long rewards of this rule stay frozen before the release job credits them to the cash balance.")
    freeze_days = fields.Integer(default=7, tracking=True)
    return_window_days = fields.Integer(default=7, tracking=True)
    dividend_weighting = fields.Selection(
        [("equal", "Equally within a rank"), ("weighted", "In proportion to own spend plus team volume")],
        default="equal", required=True)
    dividend_period = fields.Selection(
        [("manual", "Closed by hand"), ("weekly", "Weekly"), ("monthly", "Monthly")], default="monthly",
        required=True, string="Dividend Close")
    dividend_next_close = fields.Date(default=lambda self: fields.Date.context_today(self) + relativedelta(
        months=1, day=1))
    dividend_period_ids = fields.One2many("points.dividend.period", "rule_id", string="Dividend Periods",
                                          readonly=True)
    dividend_accrual_ids = fields.One2many("points.dividend.accrual", "rule_id", readonly=True)
    dividend_balance = fields.Monetary(compute="_compute_dividend_balance",
                                       help="Accrued to this dividend pool and not yet shared.")
    reward_count = fields.Integer(compute="_compute_reward_stats")
    reward_total = fields.Monetary(compute="_compute_reward_stats")
    depth_limit = fields.Integer(compute="_compute_depth_limit", string="Reward Depth Limit")
    warning = fields.Char(compute="_compute_warning")

    @api.depends("rule_type")
    def _compute_bucket(self):
        for rule in self:
            rule.bucket = DEFAULT_BUCKETS.get(rule.rule_type) or rule.bucket or "referral"

    @api.depends("dividend_accrual_ids.amount", "dividend_accrual_ids.reversed_amount",
                 "dividend_period_ids.distributed")
    def _compute_dividend_balance(self):
        for rule in self:
            accrued = sum(rule.dividend_accrual_ids.mapped(lambda a: a.amount - a.reversed_amount))
            rule.dividend_balance = accrued - sum(rule.dividend_period_ids.mapped("distributed"))

    def _compute_reward_stats(self):
        groups = {rule: (count, total) for rule, count, total in self.env["points.reward"]._read_group(
            [("rule_id", "in", self.ids)], ["rule_id"], ["__count", "net_amount:sum"])}
        for rule in self:
            rule.reward_count, rule.reward_total = groups.get(rule, (0, 0.0))

    @api.depends("company_id")
    def _compute_depth_limit(self):
        for rule in self:
            rule.depth_limit = self.env["points.pool"].sudo()._get_for_company(
                rule.company_id or self.env.company).reward_depth_limit

    @api.depends("rule_type", "line_ids", "value", "level", "depth_limit")
    def _compute_warning(self):
        for rule in self:
            rule.warning = rule._warning_message()

    def _warning_message(self):
        self.ensure_one()
        if self.rule_type in ("rank_differential", "regional") and not self.line_ids:
            return _("This rule has no rates yet: it pays nothing.")
        if self.rule_type == "dividend" and not self.line_ids:
            return _("This dividend pool has no rank shares yet: it accrues but shares nothing.")
        if self.rule_type in ("level", "peer", "merchant", "service_point") and not self.value:
            return _("This rule has no value yet: it pays nothing.")
        if self.rule_type in ("rank_differential", "peer") and self.depth_limit <= SAFE_DEPTH_NOTICE:
            return _("Walks at most %s referrer levels above the buyer (the company's reward depth limit).",
                     self.depth_limit)
        return False

    @api.constrains("rule_type", "level", "company_id")
    def _check_level(self):
        for rule in self.filtered(lambda r: r.rule_type == "level"):
            if rule.level < 1:
                raise ValidationError(_("Level rules pay level 1 (direct) or higher."))
            if rule.level > rule.depth_limit:
                raise ValidationError(_(
                    "%(rule)s pays level %(level)s, deeper than the reward depth limit of %(limit)s. Team rewards over "
                    "three or more levels can be unlawful: a Points Manager must first raise the limit with Change "
                    "Reward Depth and acknowledge the warning.", rule=rule.name, level=rule.level,
                    limit=rule.depth_limit))

    @api.constrains("rule_type", "payout_mode")
    def _check_payout_mode(self):
        for rule in self:
            if rule.payout_mode == "outside" and rule.rule_type == "dividend":
                raise ValidationError(_("A dividend pool holds money in the platform: it cannot be paid outside "
                                        "(%s).", rule.name))

    @api.constrains("value", "freeze_days", "return_window_days")
    def _check_values(self):
        for rule in self:
            if rule.value < 0 or rule.freeze_days < 0 or rule.return_window_days < 0:
                raise ValidationError(_("Reward values and freeze periods cannot be negative."))
            if rule.basis != "fixed" and rule.value > 100:
                raise ValidationError(_("A percentage cannot exceed 100 (%s).", rule.name))

    # -- actions ------------------------------------------------------------------------------
    def action_open_rewards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_reward.points_reward_action")
        action["domain"] = [("rule_id", "=", self.id)]
        return action

    def action_open_dividend_close(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "points.dividend.close.wizard", "view_mode": "form",
            "target": "new", "name": _("Close Dividend Period"), "context": {"default_rule_id": self.id},
        }

    # -- computation ----------------------------------------------------------------------------
    @api.model
    def _for_line(self, company, plan=None, rule_types=None):
        """Active rules of ``company`` that pay for lines of ``plan``, in computation order."""
        domain = [("company_id", "=", company.id)]
        if rule_types:
            domain.append(("rule_type", "in", list(rule_types)))
        rules = self.sudo().search(domain).filtered(lambda rule: not rule.plan_ids or plan in rule.plan_ids)
        return rules.sorted(lambda rule: (TYPE_ORDER[rule.rule_type], rule.sequence, rule.id))

    def _release_date(self, start, delivered_at=None):
        """When a reward of this rule created at ``start`` is due, or False while the delivery is awaited."""
        self.ensure_one()
        if self.freeze_mode == "none":
            return start
        if self.freeze_mode == "delivery":
            return delivered_at and delivered_at + timedelta(days=self.return_window_days)
        return start + timedelta(days=self.freeze_days)

    def _next_close(self, date):
        self.ensure_one()
        step = relativedelta(weeks=1) if self.dividend_period == "weekly" else relativedelta(months=1)
        return date + step


#: Up to this depth a hierarchy rule's reach is worth a reminder on its form.
SAFE_DEPTH_NOTICE = 2


class PointsRewardRuleLine(models.Model):
    """A rate of a rule: per rank (differential), per agent level (regional) or a rank's share (dividend)."""

    _name = "points.reward.rule.line"
    _description = "Reward Rule Rate"
    _order = "rule_id, sequence, id"

    rule_id = fields.Many2one("points.reward.rule", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="rule_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    rank_id = fields.Many2one("points.rank", domain="[('company_id', '=', company_id)]")
    agent_level_id = fields.Many2one(
        "points.agent.level", string="Agent Level", ondelete="restrict",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]")
    value = fields.Float(required=True, digits=(12, 4),
                         help="Rate in the rule's basis; for a dividend pool, the rank's share in %.")

    @api.constrains("rank_id", "agent_level_id", "value")
    def _check_line(self):
        for line in self:
            kind = line.rule_id.rule_type
            if kind in ("rank_differential", "dividend") and not line.rank_id:
                raise ValidationError(_("Each rate of %s needs a rank.", line.rule_id.name))
            if kind == "regional" and not line.agent_level_id:
                raise ValidationError(_("Each rate of %s needs an agent level.", line.rule_id.name))
            if line.value < 0:
                raise ValidationError(_("Rates cannot be negative."))
        for rule in self.rule_id.filtered(lambda r: r.rule_type == "dividend"):
            if sum(rule.line_ids.mapped("value")) > 100:
                raise ValidationError(_("The rank shares of %s add up to more than 100%%.", rule.name))
