from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.points_allocation.models.points_allocation_plan import BUCKET_SELECTION
from odoo.addons.points_engine.chain import AGENT, BOSS, DIRECT, PEER, SEE_POINT, ChainRules, pick_reassignments, swap_line
from odoo.addons.points_engine.rounding import to_decimal

#: Reward depth from which the company has acknowledged unbounded team rewards (SPEC §9).
SAFE_REWARD_DEPTH = 2
KIND_SELECTION = [(DIRECT, "Direct"), (SEE_POINT, "See-point"), (PEER, "Peer")]


class PointsChainProgram(models.Model):
    """A chain reward 2+1 program (链动2+1, SPEC §10) of one company: its package products and parameters."""

    _name = "points.chain.program"
    _description = "Chain Program"
    _inherit = ["mail.thread"]
    _order = "company_id, name"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    state = fields.Selection([("draft", "Draft"), ("enabled", "Enabled")], default="draft", required=True,
                             readonly=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_tmpl_ids = fields.Many2many("product.template", string="Package Products", tracking=True,
                                        help="Paying any of these products is a package order of the program.")
    bucket = fields.Selection(BUCKET_SELECTION, default="referral", required=True, tracking=True,
                              help="The allocation-plan bucket the chain rewards are paid from; what a package "
                                   "pays never exceeds it.")
    agent_direct = fields.Monetary("Agent Direct Reward", default=100.0, tracking=True)
    boss_direct = fields.Monetary("Boss Direct Reward", default=300.0, tracking=True,
                                  help="Paid to a boss who referred the buyer; it includes the see-point.")
    see_point = fields.Monetary("See-point Reward", default=200.0, tracking=True,
                                help="Paid to the buyer's team boss, whatever the depth of the buyer below them.")
    # Shares from 0 to 1, typed and shown as percentages like every rate of the suite.
    peer_rate = fields.Float("Peer Rate", default=0.10, digits=(5, 4), tracking=True,
                             help="Share of what the earning boss earned paid to that boss's referrer if a boss.")
    contributed = fields.Integer("Contributed Slots", default=2, tracking=True,
                                 help="An agent's first agent referrals that join the agent's own team boss; the "
                                      "next one makes the agent a boss.")
    fund_rate = fields.Float("Chain Fund Rate", default=0.20, digits=(5, 4), tracking=True,
                             help="Share of every chain reward held in the earner's chain fund until the task is met.")
    task_orders = fields.Integer("Task Orders", default=20, tracking=True,
                                 help="The task is met when more than this many package orders were paid below the "
                                      "contributed lines (their own excluded).")
    policy = fields.Selection([("none", "None"), ("periodic", "Periodic re-assignment"),
                               ("spillover", "3×3 spill-over")], string="Dead-line Policy", default="none",
                              required=True, tracking=True)
    period = fields.Selection([("weekly", "Weekly"), ("monthly", "Monthly")], default="monthly", required=True)
    next_reassign_date = fields.Date(
        "Next Re-assignment", default=lambda self: fields.Date.context_today(self) + relativedelta(months=1, day=1),
        help="The re-assignment job looks at the period ending on this date (weekly or monthly).")
    rule_id = fields.Many2one("points.reward.rule", string="Reward Rule", readonly=True, copy=False)
    fund_rule_id = fields.Many2one("points.reward.rule", string="Fund Rule", readonly=True, copy=False)
    max_payout = fields.Monetary(compute="_compute_sample", string="Most Paid per Package")
    sample_split = fields.Text(compute="_compute_sample", string="Sample Split")
    warning = fields.Char(compute="_compute_sample")
    compliance_notice = fields.Char(compute="_compute_sample")
    member_count = fields.Integer(compute="_compute_member_count")

    @api.depends("agent_direct", "boss_direct", "see_point", "peer_rate", "bucket", "product_tmpl_ids")
    def _compute_sample(self):
        for program in self:
            rules = program._rules()
            under_boss, under_agent = rules.sample_split()
            labels = dict(self._fields["bucket"]._description_selection(self.env))
            kinds = dict(self.env["points.reward"]._fields["chain_kind"]._description_selection(self.env))
            program.max_payout = float(rules.max_payout())
            program.sample_split = "\n".join([
                _("Referred by a boss: %s", " + ".join(f"{kinds[k]} {a}" for k, a in under_boss)),
                _("Referred by an agent: %s", " + ".join(f"{kinds[k]} {a}" for k, a in under_agent)),
            ])
            program.compliance_notice = _(
                "See-point rewards pay the team boss at any depth below them: team compensation over three or more "
                "levels can be unlawful in some jurisdictions (SPEC §9).")
            program.warning = False
            for plan, budget in program._bucket_budgets():
                if rules.max_payout() > budget:
                    program.warning = _(
                        "A package can pay %(most)s, more than the %(bucket)s bucket of plan %(plan)s (%(budget)s): "
                        "the rewards are cut to the bucket.", most=rules.max_payout(), bucket=labels[program.bucket],
                        plan=plan.display_name, budget=budget)
                    break

    def _bucket_budgets(self):
        """[(plan, bucket amount of one package)] for the plans of the program's package products."""
        self.ensure_one()
        result = []
        Plan = self.env["points.allocation.plan"].sudo()
        for template in self.product_tmpl_ids:
            product = template.product_variant_ids[:1]
            plan = product and Plan._get_for_product(product, self.company_id)
            if plan:
                split = plan._split(to_decimal(template.list_price), Decimal(1),
                                    cost=to_decimal(template.standard_price))
                result.append((plan, split.get(self.bucket, Decimal(0))))
        return result

    def _compute_member_count(self):
        counts = dict(self.env["points.chain.member"]._read_group([("program_id", "in", self.ids)], ["program_id"],
                                                                 ["__count"]))
        for program in self:
            program.member_count = counts.get(program, 0)

    @api.constrains("agent_direct", "boss_direct", "see_point", "peer_rate", "fund_rate", "contributed",
                    "task_orders")
    def _check_parameters(self):
        for program in self:
            if min(program.agent_direct, program.boss_direct, program.see_point, program.peer_rate,
                   program.fund_rate, program.contributed, program.task_orders) < 0:
                raise ValidationError(_("Chain parameters cannot be negative."))
            if program.peer_rate > 1 or program.fund_rate > 1:
                raise ValidationError(_("The peer rate and the chain fund rate cannot exceed 100%."))

    def _rules(self):
        self.ensure_one()
        return ChainRules(
            agent_direct=to_decimal(self.agent_direct), boss_direct=to_decimal(self.boss_direct),
            see_point=to_decimal(self.see_point), peer_rate=to_decimal(self.peer_rate),
            contributed=self.contributed, fund_rate=to_decimal(self.fund_rate), task_orders=self.task_orders,
            policy=None if self.policy == "none" else self.policy)

    # -- life cycle ---------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        programs = super().create(vals_list)
        for program in programs:
            program._ensure_rules()
        return programs

    def write(self, vals):
        result = super().write(vals)
        if "bucket" in vals or "name" in vals:
            for program in self:
                (program.rule_id | program.fund_rule_id).sudo().write({"bucket": program.bucket})
        if "name" in vals:
            self._name_rules()
        return result

    def _ensure_rules(self):
        """The two reward rules the program's rewards are booked under (paid part and chain fund)."""
        Rule = self.env["points.reward.rule"].sudo().with_context(lang="en_US")
        for program in self:
            common = {"rule_type": "chain", "company_id": program.company_id.id, "bucket": program.bucket,
                      "basis": "fixed", "freeze_mode": "days", "freeze_days": 7}
            if not program.rule_id:
                program.rule_id = Rule.create(dict(common, name=program._rule_names()["en_US"]))
            if not program.fund_rule_id:
                program.fund_rule_id = Rule.create(dict(common, name=program._rule_names(fund=True)["en_US"],
                                                        freeze_mode="none"))
        self._name_rules()

    def _name_rules(self):
        """The rules are named after the program in every installed language (a rewards list reads in any)."""
        for program in self:
            if program.rule_id:
                program.rule_id.sudo().update_field_translations("name", program._rule_names())
            if program.fund_rule_id:
                program.fund_rule_id.sudo().update_field_translations("name", program._rule_names(fund=True))

    def _rule_names(self, fund=False):
        """{language: name of the program's reward rule (or fund rule)} for every installed language."""
        self.ensure_one()
        names = {}
        for lang in {lang for lang, _label in self.env["res.lang"].get_installed()} | {"en_US"}:
            program = self.with_context(lang=lang)
            names[lang] = (program.env._("%s (chain fund)", program.name) if fund
                           else program.env._("%s (chain rewards)", program.name))
        return names

    def action_enable(self):
        """Enabling a program pays team rewards at unbounded depth: it needs the logged acknowledgement of a
        raised reward depth (Change Reward Depth), as level rules deeper than 2 do (SPEC §9)."""
        if not self.env.user.has_group("points_pool.group_points_manager"):
            raise AccessError(_("Only a Points Manager may enable a chain program."))
        for program in self:
            pool = self.env["points.pool"].sudo()._get_for_company(program.company_id)
            if pool.reward_depth_limit <= SAFE_REWARD_DEPTH:
                raise UserError(_(
                    "A chain program pays see-point rewards at any depth. Team rewards over three or more levels can "
                    "be unlawful: a Points Manager must first raise the reward depth with Change Reward Depth and "
                    "acknowledge the warning."))
            program.state = "enabled"
            program.message_post(body=_("Chain program enabled (reward depth %s acknowledged).",
                                        pool.reward_depth_limit))

    def action_disable(self):
        self.write({"state": "draft"})

    def action_open_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_chain.points_chain_member_action")
        action["domain"] = [("program_id", "=", self.id)]
        return action

    @api.model
    def _for_product(self, company, product):
        if not product:
            return self.browse()
        return self.sudo().search([("company_id", "=", company.id), ("state", "=", "enabled"),
                                   ("product_tmpl_ids", "in", product.product_tmpl_id.ids)])

    # -- dead lines: periodic re-assignment (周期自动强制换线) -------------------------------------
    def _period_step(self):
        self.ensure_one()
        return relativedelta(weeks=1) if self.period == "weekly" else relativedelta(months=1)

    @api.model
    def _cron_reassign(self):
        """Scheduled job: every periodic program whose period is over re-assigns its dead contributed lines."""
        today = fields.Date.context_today(self)
        for program in self.sudo().search([("policy", "=", "periodic"), ("state", "=", "enabled"),
                                           ("next_reassign_date", "<=", today)]):
            while program.next_reassign_date <= today:
                end = program.next_reassign_date
                program._reassign_dead_lines(end - program._period_step(), end)
                program.next_reassign_date = end + program._period_step()

    def _period_counts(self, start, end):
        """{partner id: package orders paid in its referral subtree, its own included, in [start, end)}."""
        self.ensure_one()
        self.env["points.chain.order"].flush_model()
        self.env.cr.execute(SQL(
            """SELECT a.id, count(*) FROM points_chain_order o
                 JOIN points_referral_node n ON n.partner_id = o.partner_id
                 CROSS JOIN LATERAL unnest(n.path) AS a(id)
                WHERE o.program_id = %s AND o.reversed IS NOT TRUE AND o.date >= %s AND o.date < %s
                GROUP BY a.id""", self.id, fields.Datetime.to_datetime(start), fields.Datetime.to_datetime(end)))
        return dict(self.env.cr.fetchall())

    def _reassign_dead_lines(self, start, end):
        """Replaces each contributed line without a package order in [start, end) by the earner's most active
        direct line of the period (ties: the oldest); logged, with the team moves it implies.
        Returns [(earner, dropped, added)] partners."""
        self.ensure_one()
        Member = self.env["points.chain.member"].sudo()
        counts = self._period_counts(start, end)
        earners = Member.search([("program_id", "=", self.id), ("line_ids", "!=", False)])
        if not earners:
            return []
        dead = earners.filtered(lambda m: any(not counts.get(pid) for pid in m.line_ids.ids))
        if not dead:
            return []
        # direct lines of the dead earners that are agents or bosses, with their activity
        self.env.cr.execute(SQL(
            """SELECT p.referrer_id, m.id, p.id FROM points_chain_member m JOIN res_partner p ON p.id = m.partner_id
                WHERE m.program_id = %s AND m.identity IN %s AND p.referrer_id = ANY(%s)""",
            self.id, (AGENT, BOSS), dead.partner_id.ids))
        candidates = {}
        for referrer_id, member_id, partner_id in self.env.cr.fetchall():
            candidates.setdefault(referrer_id, []).append((member_id, partner_id))
        changes = []
        for earner in dead:
            lines = [(pid, counts.get(pid, 0)) for pid in earner.line_ids.sorted("id").ids]
            options = [(pid, counts.get(pid, 0), pid) for _mid, pid in candidates.get(earner.partner_id.id, [])
                       if pid not in earner.line_ids.ids]
            picks = pick_reassignments(lines, options)
            if not picks:
                continue
            state = earner._state()
            for dropped_id, added_id in picks:
                dropped = Member._get(self, self.env["res.partner"].browse(dropped_id))
                added = Member._get(self, self.env["res.partner"].browse(added_id))
                for moved_state, boss, source in swap_line(state, dropped._state(), added._state()):
                    moved = dropped if moved_state.key == dropped_id else added
                    moved._move_team(boss, source)
                self.env["points.chain.history"].sudo().create({
                    "member_id": earner.id, "old_identity": earner.identity, "new_identity": earner.identity,
                    "reason": "reassign",
                    "note": _("Line %(dropped)s had no package order from %(start)s to %(end)s: replaced by %(added)s.",
                              dropped=dropped.partner_id.display_name, added=added.partner_id.display_name,
                              start=start, end=end)})
                changes.append((earner.partner_id, dropped.partner_id, added.partner_id))
            earner._write_state(state, "reassign")
        return changes
