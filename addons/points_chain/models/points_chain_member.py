from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, create_index

from odoo.addons.points_engine.chain import (
    AGENT, BOSS, IDENTITIES, LINES, MEMBER, SPILLOVER, ChainMember, become_agent, hold, order_payouts, spill_block,
    spill_target, task_met,
)
from odoo.addons.points_engine.rounding import to_decimal
from odoo.addons.points_pool.keys import idempotency_key

from .points_chain_program import KIND_SELECTION

IDENTITY_SELECTION = [(MEMBER, "Member"), (AGENT, "Agent"), (BOSS, "Boss")]
TEAM_SOURCES = [("joined", "Joined a boss"), ("inherited", "Contributed"), ("none", "None")]


class PointsChainMember(models.Model):
    """A member's chain state in one program: identity, team boss, contributed lines, fund and task.

    Rows are created on the member's first package order, or when someone below needs them.
    Every order below the same referrer or team boss may change that member's row (slots,
    promotion, contributed lines, fund release), so only the pool's sequencer writes them:
    checkouts queue a ``points.chain.event`` and the sequencer applies the events in order
    (:meth:`_apply_package_order`), calling the engine on the few rows an order touches.

    Under the 3×3 spill-over policy a member is placed when it becomes an agent;
    ``placement_path`` (an ``int4[]`` column kept by SQL, GIN-indexed) lists its placement
    ancestors, root first, so that the orders of a placement subtree are one indexed query.
    """

    _name = "points.chain.member"
    _description = "Chain Member"
    _order = "program_id, id"
    _rec_name = "partner_id"

    program_id = fields.Many2one("points.chain.program", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="program_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Member", required=True, ondelete="cascade", index=True)
    identity = fields.Selection(IDENTITY_SELECTION, default=MEMBER, required=True, index=True)
    team_boss_id = fields.Many2one("res.partner", string="Team Boss", index="btree_not_null", ondelete="set null")
    team_source = fields.Selection(TEAM_SOURCES, default="none", required=True, string="Team Through")
    slots = fields.Integer("Agent Referrals Counted", help="Agent referrals that became agents while this member "
                                                           "was an agent or a boss.")
    line_ids = fields.Many2many("res.partner", "points_chain_member_line_rel", "member_id", "partner_id",
                                string="Contributed Lines")
    released = fields.Boolean("Fund Released", readonly=True, default=False)
    placement_parent_id = fields.Many2one("res.partner", string="Placed Under", index="btree_not_null",
                                          ondelete="set null", readonly=True,
                                          help="3×3 spill-over: the member's place in the placement tree, which "
                                               "decides teams and the task (the referral tree still decides direct "
                                               "rewards).")
    placed_seq = fields.Integer(readonly=True, aggregator=None)
    placement_deep = fields.Integer(readonly=True, aggregator=None,
                                    help="Referrals of this member placed below its own three lines.")
    released_at = fields.Datetime("Fund Released On", readonly=True)
    fund = fields.Monetary("Chain Fund", compute="_compute_fund",
                           help="Part of the chain rewards held until the task is met.")
    task_orders_done = fields.Integer("Orders Below the Lines", compute="_compute_task")
    task_progress = fields.Char("Task", compute="_compute_task")
    team_size = fields.Integer(compute="_compute_team_size")
    history_ids = fields.One2many("points.chain.history", "member_id", readonly=True)

    _sql_constraints = [("program_partner_uniq", "unique(program_id, partner_id)",
                         "A member has one chain state per program.")]

    def init(self):
        self.env.cr.execute(SQL("ALTER TABLE points_chain_member ADD COLUMN IF NOT EXISTS placement_path int4[]"))
        create_index(self.env.cr, "points_chain_member_placement_path_gin_index", self._table, ["placement_path"],
                     method="gin")

    def _compute_fund(self):
        groups = {(partner, program): amount for partner, program, amount in self.env["points.reward"].sudo()._read_group(
            [("chain_fund", "=", True), ("state", "=", "frozen"), ("partner_id", "in", self.partner_id.ids),
             ("chain_program_id", "in", self.program_id.ids)], ["partner_id", "chain_program_id"], ["net_amount:sum"])}
        for member in self:
            member.fund = groups.get((member.partner_id, member.program_id), 0.0)

    def _compute_task(self):
        for member in self:
            lines = member._task_lines()
            done = sum(count for _partner, _identity, count in lines)
            member.task_orders_done = done
            parts = [f"{partner.display_name} {'✓' if identity in (AGENT, BOSS) else '✗'} "
                     f"{dict(member._fields['identity']._description_selection(self.env)).get(identity, '')}"
                     for partner, identity, _count in lines]
            parts += ["–"] * max(member.program_id.contributed - len(lines), 0)
            member.task_progress = _("%(lines)s, %(done)s / %(needed)s orders", lines=", ".join(parts), done=done,
                                     needed=member.program_id.task_orders + 1)

    def _compute_team_size(self):
        counts = dict(self.sudo()._read_group([("team_boss_id", "in", self.partner_id.ids)], ["team_boss_id"],
                                              ["__count"]))
        for member in self:
            member.team_size = counts.get(member.partner_id, 0)

    def _task_lines(self):
        """[(line partner, identity, package orders below it)] of the contributed lines."""
        self.ensure_one()
        rows = {m.partner_id: m.identity for m in self.sudo().search(
            [("program_id", "=", self.program_id.id), ("partner_id", "in", self.line_ids.ids)])}
        counts = self.program_id._orders_below(self.line_ids.ids)
        return [(line, rows.get(line, MEMBER), counts.get(line.id, 0)) for line in self.line_ids.sorted("id")]

    # -- engine state ------------------------------------------------------------------------
    def _state(self):
        self.ensure_one()
        return ChainMember(self.partner_id.id, self.identity, self.team_boss_id.id or None, self.team_source,
                           self.slots, list(self.line_ids.sorted("id").ids), Decimal(0), self.released)

    def _write_state(self, state, reason, note=None, user=None):
        """Writes back what the engine changed; identity changes are logged."""
        self.ensure_one()
        vals = {}
        if state.identity != self.identity:
            self.env["points.chain.history"].sudo().create({
                "member_id": self.id, "old_identity": self.identity, "new_identity": state.identity,
                "reason": reason, "note": note or False, **({"user_id": user.id} if user else {})})
            vals["identity"] = state.identity
        if (state.team_boss or False) != (self.team_boss_id.id or False):
            vals["team_boss_id"] = state.team_boss or False
        if state.team_source != self.team_source:
            vals["team_source"] = state.team_source
        if state.slots != self.slots:
            vals["slots"] = state.slots
        if state.lines != self.line_ids.sorted("id").ids:
            vals["line_ids"] = [fields.Command.set(state.lines)]
        if vals:
            self.sudo().write(vals)

    @api.model
    def _get(self, program, partner):
        """The chain row of ``partner`` in ``program`` (created as a plain member when missing).

        Creates rows: the pool's sequencer calls it (staff screens read rows with :meth:`search`)."""
        return self._get_many(program, [partner.id])[partner.id]

    @api.model
    def _get_many(self, program, partner_ids, with_bosses=False):
        """{partner id: chain row} of ``partner_ids`` in ``program``, the missing ones created as plain members;
        fetched together (one query for the rows, one for their lines), with the rows of their team bosses
        when ``with_bosses``."""
        partner_ids = list(dict.fromkeys(partner_ids))
        self.flush_model(["program_id", "partner_id", "team_boss_id"])
        bosses = SQL(
            "OR partner_id IN (SELECT team_boss_id FROM points_chain_member WHERE program_id = %s AND partner_id = ANY(%s))",
            program.id, partner_ids) if with_bosses else SQL()
        self.env.cr.execute(SQL("SELECT id FROM points_chain_member WHERE program_id = %s AND (partner_id = ANY(%s) %s)",
                                program.id, partner_ids, bosses))
        rows = {row.partner_id.id: row for row in self.sudo().browse([row[0] for row in self.env.cr.fetchall()])}
        missing = [pid for pid in partner_ids if pid not in rows]
        if missing:
            self.env.cr.execute(SQL(
                """INSERT INTO points_chain_member (program_id, company_id, partner_id, identity, team_source, slots,
                                                    released, create_uid, write_uid, create_date, write_date)
                   SELECT %s, %s, partner.id, 'member', 'none', 0, false, %s, %s, now() at time zone 'UTC',
                          now() at time zone 'UTC'
                     FROM unnest(%s::int4[]) AS partner(id)
                   ON CONFLICT (program_id, partner_id) DO NOTHING""",
                program.id, program.company_id.id, self.env.uid, self.env.uid, missing))
            rows.update({row.partner_id.id: row for row in self.sudo().search(
                [("program_id", "=", program.id), ("partner_id", "in", missing)])})
        return rows

    @api.model
    def _referrers(self, partner_ids):
        """{partner id: referrer id or None}, read without loading the partners."""
        self.env["res.partner"].flush_model(["referrer_id"])
        self.env.cr.execute(SQL("SELECT id, referrer_id FROM res_partner WHERE id = ANY(%s)", list(partner_ids)))
        return dict(self.env.cr.fetchall())

    def _team_parent(self, referrer):
        """The row whose team rules apply when this member becomes an agent: its referrer, or under the 3×3
        spill-over policy its placement parent (placed now, when it becomes an agent)."""
        self.ensure_one()
        program = self.program_id
        if program.policy != SPILLOVER or not referrer:
            return referrer
        if not self.placement_parent_id:
            self._place(referrer)
        return self._get(program, self.placement_parent_id)

    def _place(self, referrer):
        """Places this member in the placement tree of ``referrer`` (3×3 spill-over, see points_engine.chain).

        Its placement path is its parent's plus the parent; members placed below it while it was not placed
        yet (it had not paid) move with it: their paths get the new prefix."""
        program = self.program_id
        Member = self.sudo()
        cr = self.env.cr
        loaded = {}

        def children(partner_id):
            # breadth first: one query loads the children of every node of the level being looked at
            if partner_id not in loaded:
                wanted = {partner_id} | {child for kids in loaded.values() for child in kids if child not in loaded}
                for key in wanted:
                    loaded[key] = []
                Member.flush_model(["placement_parent_id", "placed_seq"])
                cr.execute(SQL(
                    """SELECT placement_parent_id, partner_id FROM points_chain_member
                        WHERE program_id = %s AND placement_parent_id = ANY(%s) ORDER BY placed_seq, id""",
                    program.id, sorted(wanted)))
                for parent_id, child_id in cr.fetchall():
                    loaded[parent_id].append(child_id)
            return loaded[partner_id]

        lines = children(referrer.partner_id.id)
        if len(lines) < LINES:
            target = referrer.partner_id.id
        else:
            roots = [lines[i - 1] for i in spill_block(referrer.placement_deep)]
            referrer.placement_deep += 1
            target = spill_target(roots, children)
        parent = self._get(program, self.env["res.partner"].browse(target))
        self.write({"placement_parent_id": target, "placed_seq": len(children(target)) + 1})
        self.flush_recordset()
        cr.execute(SQL(
            """UPDATE points_chain_member SET placement_path = COALESCE(parent.placement_path, '{}') || parent.partner_id
                 FROM points_chain_member parent WHERE parent.id = %s AND points_chain_member.id = %s
            RETURNING points_chain_member.placement_path""", parent.id, self.id))
        path = cr.fetchone()[0]
        cr.execute(SQL(
            """UPDATE points_chain_member
                  SET placement_path = %s::int4[] || placement_path[array_position(placement_path, %s):]
                WHERE program_id = %s AND placement_path @> ARRAY[%s]::int4[]""",
            path, self.partner_id.id, program.id, self.partner_id.id))
        return target

    # -- package orders -----------------------------------------------------------------------
    @api.model
    def _package_paid(self, program, line, buyer, budget, order=None):
        """A paid package line of ``buyer``, at checkout: queued for the pool's sequencer, which applies the
        identities, the rewards (cut to ``budget``) and the tasks in the order of the events
        (:meth:`_apply_package_order`). Insert only, idempotent per source line; applied at once when the pool
        is free, else right after the commit. Returns the queued event (empty if the line is queued already; the
        sequencer skips a line it applied before)."""
        Event = self.env["points.chain.event"].sudo()
        self.env.cr.execute(SQL(
            """INSERT INTO points_chain_event (kind, program_id, company_id, partner_id, source_model, source_id,
                                               order_model, order_id, budget, date)
               VALUES ('order', %s, %s, %s, %s, %s, %s, %s, %s, %s)
               ON CONFLICT (program_id, source_model, source_id) DO NOTHING RETURNING id""",
            program.id, program.company_id.id, buyer.id, line._name, line.id, order._name if order else None,
            order.id if order else None, float(budget), fields.Datetime.now()))
        row = self.env.cr.fetchone()
        if not row:
            return Event
        self.env["points.pool"].sudo()._get_for_company(program.company_id)._apply_soon()
        return Event.browse(row[0])

    @api.model
    def _apply_package_order(self, event):
        """One package order, by the pool's sequencer: identities first, then the rewards (cut to the event's
        budget), then the tasks of the earners whose contributed lines are above the buyer. Returns the rewards
        (none if the line was applied before)."""
        program, buyer = event.program_id, event.partner_id
        line = self.env[event.source_model].browse(event.source_id)
        order = self.env[event.order_model].browse(event.order_id) if event.order_model and event.order_id else None
        cr = self.env.cr
        # the order first: a line applied before is skipped (its unique key), and the tasks count it
        cr.execute(SQL(
            """INSERT INTO points_chain_order (program_id, company_id, partner_id, source_model, source_id,
                                               order_model, order_id, date, reversed, create_uid, write_uid,
                                               create_date, write_date)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, false, %s, %s, now() at time zone 'UTC',
                       now() at time zone 'UTC')
               ON CONFLICT (program_id, source_model, source_id) DO NOTHING
               RETURNING id, (SELECT referrer_id FROM res_partner WHERE id = %s),
                         EXISTS (SELECT 1 FROM points_allocation a
                                   JOIN points_allocation_reversal r ON r.allocation_id = a.id
                                  WHERE a.source_model = %s AND a.source_id = %s)""",
            program.id, program.company_id.id, buyer.id, line._name, line.id, order._name if order else None,
            order.id if order else None, event.date, self.env.uid, self.env.uid, buyer.id, line._name, line.id))
        inserted = cr.fetchone()
        if not inserted:
            return self.env["points.reward"]
        _order_id, referrer_id, refunded = inserted
        rules = program._rules()
        # the buyer's and referrer's rows, and their team bosses' (the see-point earner, usually), at once
        rows = self._get_many(program, [buyer.id] + ([referrer_id] if referrer_id else []), with_bosses=True)
        member, referrer = rows[buyer.id], rows.get(referrer_id)
        parent = member._team_parent(referrer) if member.identity == MEMBER else referrer
        state = member._state()
        referrer_state = referrer._state() if referrer else None
        parent_state = referrer_state if parent == referrer else parent._state()
        become_agent(rules, state, parent_state)
        if parent and parent != referrer:
            parent._write_state(parent_state, "order")
        if referrer:
            referrer._write_state(referrer_state, "order")
        member._write_state(state, "order")
        boss_id = member.team_boss_id.id
        boss = (rows.get(boss_id) or self._get(program, member.team_boss_id)) if boss_id else None

        def boss_referrer_of(key):
            upline = self._referrers([key]).get(key)
            if not upline:
                return None
            row = self.sudo().search([("program_id", "=", program.id), ("partner_id", "=", upline)], limit=1)
            return row._state() if row else None

        raw = order_payouts(rules, referrer_state, boss._state() if boss else None, boss_referrer_of)
        left = to_decimal(event.budget)
        values = []
        earners = {row.partner_id.id: row for row in (referrer, boss) if row}
        for key, kind, amount, origin in raw:
            amount = min(amount, left)
            if amount <= 0:
                continue
            left -= amount
            earner = earners.get(key) or self._get(program, self.env["res.partner"].browse(key))
            held = hold(rules, earner._state(), amount)
            common = {"partner": key, "chain_kind": kind, "buyer": buyer, "origin": origin}
            if amount - held > 0:
                values.append(dict(common, rule=program.rule_id, amount=amount - held, fund=False))
            if held > 0:
                values.append(dict(common, rule=program.fund_rule_id, amount=held, fund=True))
        rewards = self._create_rewards(program, line, order, values, date=event.date)
        if refunded:
            self._reverse_refunded(program, line, rewards)
        self._check_tasks(program, buyer)
        return rewards

    @api.model
    def _create_rewards(self, program, line, order, values, date=None):
        Reward = self.env["points.reward"].sudo()
        rows = []
        for vals in values:
            rows += Reward._reward_values(vals["rule"], line, vals["buyer"], order,
                                          [_Payout(vals["partner"], vals["amount"], vals["origin"])], date=date)
        for row, vals in zip(rows, values):
            row.update(chain_program_id=program.id, chain_kind=vals["chain_kind"], chain_fund=vals["fund"])
            if vals["fund"]:
                row["release_date"] = False
        rewards = Reward.create(rows)
        pool = self.env["points.pool"].sudo()._get_for_company(program.company_id)
        pool._record_reward_rows(rewards._freeze_entries())
        rewards.filtered(lambda r: not r.chain_fund and r.release_date
                         and r.release_date <= fields.Datetime.now())._release()
        return rewards

    @api.model
    def _reverse_refunded(self, program, line, rewards):
        """A line refunded before the sequencer applied its package order (the caller found a refund of it): its
        new rewards give back what was refunded at once, and a line refunded in full no longer counts for tasks."""
        rows = self.env["points.allocation"].sudo().search([("source_model", "=", line._name),
                                                            ("source_id", "=", line.id)])
        reversal = rows.reversal_ids.sorted("id")[-1:]
        refunded = to_decimal(max(rows.mapped("reversed_ratio")))
        entries = []
        for reward in rewards:
            entries += reward._reversal_entries(reward._reversal_share(float(refunded)), reversal)
        if entries:
            pool = self.env["points.pool"].sudo()._get_for_company(program.company_id)
            pool._record_reward_rows(entries, key=idempotency_key("chain_reverse", line, reversal.id))
        if refunded >= 1:
            self.env["points.chain.order"].sudo().search([("program_id", "=", program.id),
                                                          ("source_model", "=", line._name),
                                                          ("source_id", "=", line.id)]).reversed = True

    @api.model
    def _check_tasks(self, program, buyer):
        """Releases the funds of the earners that have a contributed line strictly above ``buyer`` (in the
        referral tree, or in the placement tree under the 3×3 spill-over policy), or ``buyer`` itself as a line
        (a line becoming an agent may meet its team parent's task)."""
        self.flush_model(["program_id", "released", "line_ids"])
        # the path stays in the database: a buyer 10,000 levels deep sends no array of 10,000 ids
        if program.policy == SPILLOVER:
            path = SQL("""SELECT above.id FROM points_chain_member b CROSS JOIN LATERAL unnest(b.placement_path) AS above(id)
                           WHERE b.program_id = %s AND b.partner_id = %s
                          UNION ALL SELECT %s""", program.id, buyer.id, buyer.id)
        else:
            path = SQL("""SELECT above.id FROM points_referral_node n CROSS JOIN LATERAL unnest(n.path) AS above(id)
                           WHERE n.partner_id = %s""", buyer.id)
        self.env.cr.execute(SQL(
            """SELECT DISTINCT m.id FROM (%s) AS above
                 JOIN points_chain_member_line_rel r ON r.partner_id = above.id
                 JOIN points_chain_member m ON m.id = r.member_id
                WHERE m.program_id = %s AND m.released IS NOT TRUE""", path, program.id))
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            self.browse(ids)._release_if_met()

    def _release_if_met(self):
        """Releases the funds of these members whose task is met (set-wise: one query counts the orders below
        every line)."""
        released = self.browse()
        members = self.sudo().filtered(lambda m: not m.released and m.line_ids)
        for program, rows in members.grouped("program_id").items():
            rules = program._rules()
            line_ids = rows.line_ids.ids
            identities = dict(self.sudo().search([("program_id", "=", program.id),
                                                  ("partner_id", "in", line_ids)]).mapped(
                lambda m: (m.partner_id.id, m.identity)))
            counts = program._orders_below(line_ids)
            for member in rows:
                lines = [(identities.get(pid, MEMBER), counts.get(pid, 0)) for pid in member.line_ids.ids]
                if task_met(rules, lines):
                    member._release_fund()
                    released |= member
        return released

    def _release_fund(self):
        self.ensure_one()
        now = fields.Datetime.now()
        self.write({"released": True, "released_at": now})
        funds = self.env["points.reward"].sudo().search([
            ("chain_fund", "=", True), ("state", "=", "frozen"), ("partner_id", "=", self.partner_id.id),
            ("chain_program_id", "=", self.program_id.id)])
        funds.write({"release_date": now})
        funds._release()
        self.env["points.chain.history"].sudo().create({
            "member_id": self.id, "old_identity": self.identity, "new_identity": self.identity,
            "reason": "release", "note": _("Chain fund released: task met.")})

    @api.model
    def _cron_release_funds(self):
        """Scheduled job: releases every fund whose task is met (orders refunded or lines changed in between);
        queued for each program's sequencer, the one writer of chain rows."""
        self.env["points.chain.event"]._queue_program_events(
            self.env["points.chain.program"].sudo().search([("state", "=", "enabled")]), "tasks")

    # -- staff ------------------------------------------------------------------------------
    def action_set_identity(self, identity, note=None):
        """Staff set an identity by hand (gift, 内排): upgrades only, through the team rules; logged. Queued for
        the pool's sequencer, applied at once when the pool is free."""
        if not self.env.user.has_group("points_pool.group_points_manager"):
            raise AccessError(_("Only a Points Manager may set a chain identity."))
        if identity not in IDENTITIES:
            raise UserError(_("Unknown identity %s.", identity))
        Event = self.env["points.chain.event"].sudo()
        for member in self:
            if IDENTITIES.index(identity) < IDENTITIES.index(member.identity):
                raise UserError(_("Chain identities are never lowered (%s).", member.partner_id.display_name))
        for member in self:
            Event.create({"kind": "identity", "program_id": member.program_id.id,
                          "company_id": member.program_id.company_id.id, "partner_id": member.partner_id.id,
                          "identity": identity, "note": note or False, "user_id": self.env.uid})
        for company in self.program_id.company_id:
            self.env["points.pool"].sudo()._get_for_company(company)._apply_soon()
        self.invalidate_recordset()

    @api.model
    def _apply_identity(self, event):
        """An identity set by hand, by the pool's sequencer: through the same team rules as an order (a gifted
        agent takes a slot of its team parent), no reward; never lowers an identity."""
        program, rules = event.program_id, event.program_id._rules()
        member = self._get(program, event.partner_id)
        identity = event.identity
        if IDENTITIES.index(identity) <= IDENTITIES.index(member.identity):
            return
        referrer = self._get(program, member.partner_id.referrer_id) if member.partner_id.referrer_id else None
        parent = member._team_parent(referrer) if member.identity == MEMBER else referrer
        state, parent_state = member._state(), parent._state() if parent else None
        if identity != MEMBER:
            become_agent(rules, state, parent_state)
        if identity == BOSS:
            state.identity = BOSS
        if parent:
            parent._write_state(parent_state, "manual", event.note, event.user_id)
        member._write_state(state, "manual", event.note, event.user_id)
        if parent and member.partner_id in parent.line_ids:
            parent._release_if_met()  # a gifted line may meet its team parent's task

    def action_gift_agent(self):
        self.action_set_identity(AGENT, _("Gift"))

    def action_gift_boss(self):
        self.action_set_identity(BOSS, _("Gift"))


class _Payout:
    """What :meth:`points.reward._reward_values` reads of a payout."""

    def __init__(self, member, amount, origin):
        self.member, self.amount, self.level, self.origin = member, amount, 0, origin


class PointsChainOrder(models.Model):
    """A paid package order (one source line) of a program: what the task counts."""

    _name = "points.chain.order"
    _description = "Chain Package Order"
    _order = "id desc"

    program_id = fields.Many2one("points.chain.program", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="program_id.company_id", store=True)
    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    source_model = fields.Char(required=True)
    source_id = fields.Many2oneReference(model_field="source_model", required=True, index=True)
    order_model = fields.Char()
    order_id = fields.Many2oneReference(model_field="order_model")
    date = fields.Datetime(default=fields.Datetime.now, required=True, index=True)
    reversed = fields.Boolean(default=False, help="Refunded in full: no longer counted.")

    _sql_constraints = [("source_uniq", "unique(program_id, source_model, source_id)",
                         "A line is one package order of a program.")]


class PointsChainHistory(models.Model):
    """Identity changes, gifts and fund releases of chain members (logged)."""

    _name = "points.chain.history"
    _description = "Chain History"
    _order = "date desc, id desc"

    member_id = fields.Many2one("points.chain.member", string="Chain Member", required=True, ondelete="cascade",
                                index=True)
    partner_id = fields.Many2one(related="member_id.partner_id", store=True)
    company_id = fields.Many2one(related="member_id.company_id", store=True)
    old_identity = fields.Selection(IDENTITY_SELECTION, string="From")
    new_identity = fields.Selection(IDENTITY_SELECTION, string="To")
    reason = fields.Selection([("order", "Package order"), ("manual", "Set by hand"), ("reassign", "Re-assignment"),
                               ("release", "Fund released")], required=True)
    note = fields.Char()
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True)


__all__ = ["KIND_SELECTION"]
