from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from odoo.addons.points_allocation.models.points_allocation_plan import bucket_selection
from odoo.addons.points_engine.chain import (
    AGENT, BOSS, DIRECT, INHERITED, PEER, SEE_POINT, SPILLOVER, ChainMember, ChainRules, pick_reassignments, swap_line,
)
from odoo.addons.points_engine.rounding import to_decimal
from odoo.addons.points_reward.models.points_reward_rule import RULE_TYPES

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
    bucket = fields.Selection(bucket_selection, default="referral", required=True, tracking=True,
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
    warning = fields.Text(compute="_compute_sample")
    compliance_notice = fields.Char(compute="_compute_sample")
    member_count = fields.Integer(compute="_compute_member_count")

    @api.depends("agent_direct", "boss_direct", "see_point", "peer_rate", "bucket", "product_tmpl_ids")
    def _compute_sample(self):
        for program in self:
            rules = program._rules()
            under_boss, under_agent = rules.sample_split()
            kinds = dict(self.env["points.reward"]._fields["chain_kind"]._description_selection(self.env))
            program.max_payout = float(rules.max_payout())
            program.sample_split = "\n".join([
                _("Referred by a boss: %s", " + ".join(f"{kinds[k]} {a}" for k, a in under_boss)),
                _("Referred by an agent: %s", " + ".join(f"{kinds[k]} {a}" for k, a in under_agent)),
            ])
            program.compliance_notice = _(
                "See-point rewards pay the team boss at any depth below them: team compensation over three or more "
                "levels can be unlawful in some jurisdictions (SPEC §9).")
            program.warning = "\n".join(program._bucket_warnings()) or False

    def _bucket_budgets(self, plan=None):
        """[(plan, package template, bucket amount of one package)] for the package products of the program (only
        those sold under ``plan`` when given, with its lines as they are, saved or not)."""
        self.ensure_one()
        result = []
        Plan = self.env["points.allocation.plan"].sudo()
        for template in self.product_tmpl_ids:
            product = template.product_variant_ids[:1]
            found = product and Plan._get_for_product(product, self.company_id)
            if not found or (plan is not None and found != plan._origin):
                continue
            split = (plan or found)._split(to_decimal(template.list_price), Decimal(1),
                                           cost=to_decimal(template.standard_price))
            result.append((plan or found, template, split.get(self.bucket, Decimal(0))))
        return result

    def _bucket_warnings(self, plan=None):
        """What the plans of the program's packages should warn about: a package that can pay more than the
        plan's chain bucket (the rewards are cut to it), and other reward rules paying from the same bucket first.
        """
        self.ensure_one()
        messages = []
        labels = dict(self._fields["bucket"]._description_selection(self.env))
        most = self._rules().max_payout()
        currency = self.currency_id or self.env.company.currency_id
        for package_plan, template, budget in self._bucket_budgets(plan):
            if most > budget:
                messages.append(_(
                    "%(program)s can pay %(most)s for a package %(product)s (boss direct reward and its peer reward, "
                    "or agent direct reward, see-point reward and its peer reward), more than the %(budget)s plan "
                    "%(plan)s puts in its %(bucket)s bucket: the rewards are cut to the bucket.",
                    program=self.display_name, most=formatLang(self.env, float(most), currency_obj=currency),
                    product=template.display_name, budget=formatLang(self.env, float(budget), currency_obj=currency),
                    plan=package_plan.display_name, bucket=labels[self.bucket]))
            others = self.env["points.reward.rule"]._for_line(
                self.company_id, package_plan._origin, [key for key, _label in RULE_TYPES]).filtered(
                lambda rule: rule.bucket == self.bucket)
            if others:
                messages.append(_(
                    "Reward rules %(rules)s also pay from the %(bucket)s bucket of plan %(plan)s, before %(program)s: "
                    "the chain rewards get only what they leave.", rules=", ".join(others.mapped("display_name")),
                    bucket=labels[self.bucket], plan=package_plan.display_name, program=self.display_name))
        return list(dict.fromkeys(messages))

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
        """Scheduled job: every periodic program whose period is over re-assigns its dead contributed lines.

        The re-assignment rewrites chain rows, so it is queued for the pool's sequencer (after the package
        orders queued before it, which it counts) and applied as soon as the pool can."""
        today = fields.Date.context_today(self)
        Event = self.env["points.chain.event"].sudo()
        for program in self.sudo().search([("policy", "=", "periodic"), ("state", "=", "enabled"),
                                           ("next_reassign_date", "<=", today)]):
            while program.next_reassign_date <= today:
                end = program.next_reassign_date
                Event.create({"kind": "reassign", "program_id": program.id, "company_id": program.company_id.id,
                              "period_start": fields.Datetime.to_datetime(end - program._period_step()),
                              "date": fields.Datetime.to_datetime(end)})
                program.next_reassign_date = end + program._period_step()
            self.env["points.pool"].sudo()._get_for_company(program.company_id)._apply_soon()

    def _subtree_orders(self, condition, partner_ids=None):
        """SQL of (ancestor partner id, order) pairs: every live package order of the program with each member
        above its buyer in the program's team tree (the referral tree, or the placement tree under the 3×3
        spill-over policy), limited to the ancestors ``partner_ids`` when given. ``condition`` filters the
        orders (alias ``o``)."""
        self.ensure_one()
        wanted = SQL("AND a.id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
        if self.policy == SPILLOVER:
            return SQL(
                """SELECT a.id AS ancestor, o.id AS order_id FROM points_chain_order o
                     JOIN points_chain_member m ON m.program_id = o.program_id AND m.partner_id = o.partner_id
                    CROSS JOIN LATERAL unnest(m.placement_path) AS a(id)
                    WHERE o.program_id = %s AND o.reversed IS NOT TRUE AND %s %s""", self.id, condition, wanted)
        return SQL(
            """SELECT a.id AS ancestor, o.id AS order_id FROM points_chain_order o
                 JOIN points_referral_node n ON n.partner_id = o.partner_id
                CROSS JOIN LATERAL unnest(n.path) AS a(id)
                WHERE o.program_id = %s AND o.reversed IS NOT TRUE AND a.id != o.partner_id AND %s %s""",
            self.id, condition, wanted)

    def _orders_below(self, partner_ids):
        """{partner id: package orders of the program paid below it, its own excluded} for ``partner_ids`` (the
        task's count: the referral subtree, or the placement subtree under the 3×3 spill-over policy, where the
        spill-over under the contributed lines is what helps the upline's task). One query: a few members are
        counted through the paths' GIN index (an order's task check), many in one pass over the orders."""
        self.ensure_one()
        if not partner_ids:
            return {}
        self.env["points.chain.order"].flush_model()
        self.env["points.chain.member"].flush_model()
        if len(partner_ids) > 64:
            self.env.cr.execute(SQL("SELECT ancestor, count(*) FROM (%s) AS below GROUP BY ancestor",
                                    self._subtree_orders(SQL("TRUE"), partner_ids)))
            return dict(self.env.cr.fetchall())
        if self.policy == SPILLOVER:
            below = SQL("""SELECT count(*) FROM points_chain_order o
                             JOIN points_chain_member m ON m.program_id = o.program_id AND m.partner_id = o.partner_id
                            WHERE o.program_id = %s AND o.reversed IS NOT TRUE
                              AND m.placement_path @> ARRAY[top.id]""", self.id)
        else:
            below = SQL("""SELECT count(*) FROM points_chain_order o
                             JOIN points_referral_node n ON n.partner_id = o.partner_id
                            WHERE o.program_id = %s AND o.reversed IS NOT TRUE AND o.partner_id != top.id
                              AND n.path @> ARRAY[top.id]""", self.id)
        self.env.cr.execute(SQL("SELECT top.id, (%s) FROM unnest(%s::int4[]) AS top(id)", below,
                                sorted(set(partner_ids))))
        return {partner_id: count for partner_id, count in self.env.cr.fetchall() if count}

    def _period_counts(self, start, end):
        """{partner id: package orders paid in its subtree, its own included, in [start, end)}."""
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
        Returns [(earner, dropped, added)] partners.

        Run by the pool's sequencer (a queued ``reassign`` event), set-wise: the program's chain rows are
        loaded in one query, the engine swaps the lines in memory (:func:`points_engine.chain.swap_line`, the
        contributed lines below a moved member follow it), and the changed rows, lines and history are written
        in a few statements."""
        self.ensure_one()
        cr = self.env.cr
        Member = self.env["points.chain.member"].sudo()
        self.env.flush_all()
        counts = self._period_counts(start, end)
        cr.execute(SQL(
            """SELECT m.id, m.partner_id, m.identity, m.team_boss_id, m.team_source, m.slots, m.released,
                      (SELECT array_agg(r.partner_id ORDER BY r.partner_id) FROM points_chain_member_line_rel r
                        WHERE r.member_id = m.id)
                 FROM points_chain_member m WHERE m.program_id = %s""", self.id))
        states, member_ids, before = {}, {}, {}
        for member_id, partner_id, identity, boss, source, slots, released, lines in cr.fetchall():
            states[partner_id] = ChainMember(partner_id, identity, boss, source, slots or 0, list(lines or []),
                                             Decimal(0), bool(released))
            member_ids[partner_id] = member_id
            before[partner_id] = (boss, source)
        dead = sorted(key for key, state in states.items()
                      if state.lines and any(not counts.get(line) for line in state.lines))
        if not dead:
            return []
        # the other direct lines of the dead earners that are agents or bosses
        cr.execute(SQL("SELECT referrer_id, id FROM res_partner WHERE referrer_id = ANY(%s) ORDER BY id", dead))
        candidates = {}
        for referrer_id, partner_id in cr.fetchall():
            if partner_id in states and states[partner_id].identity in (AGENT, BOSS):
                candidates.setdefault(referrer_id, []).append(partner_id)
        changes, moved, swapped = [], set(), set()
        for earner in dead:             # oldest first
            state = states[earner]
            lines = [(key, counts.get(key, 0)) for key in state.lines]
            options = [(key, counts.get(key, 0), key) for key in candidates.get(earner, []) if key not in state.lines]
            for dropped, added in pick_reassignments(lines, options):
                for moved_state, boss, source in swap_line(state, states[dropped], states[added]):
                    stack = [(moved_state.key, boss, source)]
                    while stack:        # as ChainTree._set_team: contributed lines that inherited follow
                        key, boss, source = stack.pop()
                        row = states[key]
                        row.team_boss, row.team_source = boss, source
                        moved.add(key)
                        stack += [(child, boss, INHERITED) for child in row.lines
                                  if child in states and states[child].team_source == INHERITED]
                swapped.add(earner)
                changes.append((earner, dropped, added))
        if not changes:
            return []
        now = fields.Datetime.now()
        rows = [(key, states[key].team_boss, states[key].team_source) for key in sorted(moved)
                if (states[key].team_boss, states[key].team_source) != before[key]]
        if rows:
            cr.execute(SQL(
                """UPDATE points_chain_member m SET team_boss_id = d.boss, team_source = d.source, write_date = %s,
                          write_uid = %s
                     FROM unnest(%s::int4[], %s::int4[], %s::varchar[]) AS d(partner, boss, source)
                    WHERE m.program_id = %s AND m.partner_id = d.partner""",
                now, self.env.uid, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], self.id))
        earner_ids = [member_ids[key] for key in sorted(swapped)]
        cr.execute(SQL("DELETE FROM points_chain_member_line_rel WHERE member_id = ANY(%s)", earner_ids))
        pairs = [(member_ids[key], line) for key in sorted(swapped) for line in states[key].lines]
        cr.execute(SQL(
            """INSERT INTO points_chain_member_line_rel (member_id, partner_id)
               SELECT * FROM unnest(%s::int4[], %s::int4[])""", [p[0] for p in pairs], [p[1] for p in pairs]))
        self.env["res.partner"].flush_model(["complete_name"])
        cr.execute(SQL("SELECT id, COALESCE(complete_name, name) FROM res_partner WHERE id = ANY(%s)",
                       list({key for change in changes for key in change[1:]})))
        names = dict(cr.fetchall())
        note = _("Line %(dropped)s had no package order from %(start)s to %(end)s: replaced by %(added)s.")
        start_text, end_text = fields.Date.to_date(start), fields.Date.to_date(end)
        cr.execute(SQL(
            """INSERT INTO points_chain_history (member_id, partner_id, company_id, old_identity, new_identity,
                                                 reason, note, user_id, date, create_uid, write_uid, create_date,
                                                 write_date)
               SELECT d.member, m.partner_id, m.company_id, m.identity, m.identity, 'reassign', d.note, %(uid)s,
                      %(now)s, %(uid)s, %(uid)s, %(now)s, %(now)s
                 FROM unnest(%(members)s::int4[], %(notes)s::varchar[]) WITH ORDINALITY AS d(member, note, seq)
                 JOIN points_chain_member m ON m.id = d.member ORDER BY d.seq""",
            uid=self.env.uid, now=now, members=[member_ids[change[0]] for change in changes],
            notes=[note % {"dropped": names.get(dropped, dropped), "added": names.get(added, added),
                           "start": start_text, "end": end_text} for _earner, dropped, added in changes]))
        Member.invalidate_model()
        self.env["points.chain.history"].invalidate_model()
        # the new lines may meet a task at once (as ChainTree.close_period checks)
        Member.browse([member_ids[key] for key in sorted(swapped) if not states[key].released])._release_if_met()
        Partner = self.env["res.partner"]
        return [(Partner.browse(earner), Partner.browse(dropped), Partner.browse(added))
                for earner, dropped, added in changes]
