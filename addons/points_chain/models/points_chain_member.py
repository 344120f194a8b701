from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.points_engine.chain import (
    AGENT, BOSS, IDENTITIES, LINES, MEMBER, ChainMember, become_agent, hold, order_payouts, spill_block, spill_target,
    task_met,
)
from odoo.addons.points_engine.rounding import to_decimal

from .points_chain_program import KIND_SELECTION

IDENTITY_SELECTION = [(MEMBER, "Member"), (AGENT, "Agent"), (BOSS, "Boss")]
TEAM_SOURCES = [("joined", "Joined a boss"), ("inherited", "Contributed"), ("none", "None")]


class PointsChainMember(models.Model):
    """A member's chain state in one program: identity, team boss, contributed lines, fund and task.

    Rows are created on the member's first package order, or when someone below needs them;
    the upline's rows change only on identity changes (slots, promotion), so an order writes
    the buyer's row and, at most, its referrer's.
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
                                               "decides teams (the referral tree still decides direct rewards).")
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
        return [(line, rows.get(line, MEMBER), self._orders_below(line)) for line in self.line_ids.sorted("id")]

    def _orders_below(self, partner):
        """Package orders of the program paid in ``partner``'s referral subtree, its own excluded (one query on
        the path index)."""
        self.env["points.chain.order"].flush_model(["program_id", "partner_id", "reversed"])
        self.env.cr.execute(SQL(
            """SELECT count(*) FROM points_chain_order o
                 JOIN points_referral_node n ON n.partner_id = o.partner_id
                WHERE o.program_id = %s AND o.reversed IS NOT TRUE AND n.path @> ARRAY[%s]::int4[] AND o.partner_id != %s""",
            self.program_id.id, partner.id, partner.id))
        return self.env.cr.fetchone()[0]

    # -- engine state ------------------------------------------------------------------------
    def _state(self):
        self.ensure_one()
        return ChainMember(self.partner_id.id, self.identity, self.team_boss_id.id or None, self.team_source,
                           self.slots, list(self.line_ids.sorted("id").ids), Decimal(0), self.released)

    def _write_state(self, state, reason, note=None):
        """Writes back what the engine changed; identity changes are logged."""
        self.ensure_one()
        vals = {}
        if state.identity != self.identity:
            self.env["points.chain.history"].sudo().create({
                "member_id": self.id, "old_identity": self.identity, "new_identity": state.identity,
                "reason": reason, "note": note or False})
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
    def _get(self, program, partner, lock=False):
        """The chain row of ``partner`` in ``program`` (created as a plain member when missing)."""
        member = self.sudo().search([("program_id", "=", program.id), ("partner_id", "=", partner.id)], limit=1)
        if not member:
            self.env.cr.execute(SQL(
                """INSERT INTO points_chain_member (program_id, company_id, partner_id, identity, team_source, slots,
                                                    released, create_uid, write_uid, create_date, write_date)
                   VALUES (%s, %s, %s, 'member', 'none', 0, false, %s, %s, now() at time zone 'UTC',
                           now() at time zone 'UTC')
                   ON CONFLICT (program_id, partner_id) DO NOTHING""",
                program.id, program.company_id.id, partner.id, self.env.uid, self.env.uid))
            member = self.sudo().search([("program_id", "=", program.id), ("partner_id", "=", partner.id)], limit=1)
        if lock:
            self.env.cr.execute(SQL("SELECT id FROM points_chain_member WHERE id = %s FOR UPDATE", member.id))
            member.invalidate_recordset()
        return member

    def _move_team(self, boss_id, source):
        """Moves this member to ``boss_id``'s team; the contributed lines below it (which inherited its team)
        follow it, at any depth."""
        todo = [(self, boss_id, source)]
        while todo:
            member, boss_id, source = todo.pop()
            member.sudo().write({"team_boss_id": boss_id or False, "team_source": source})
            below = self.sudo().search([("program_id", "=", member.program_id.id),
                                        ("partner_id", "in", member.line_ids.ids), ("team_source", "=", "inherited")])
            todo += [(child, boss_id, "inherited") for child in below]

    def _team_parent(self, referrer):
        """The row whose team rules apply when this member becomes an agent: its referrer, or under the 3×3
        spill-over policy its placement parent (placed now, when it becomes an agent)."""
        self.ensure_one()
        program = self.program_id
        if program.policy != "spillover" or not referrer:
            return referrer
        if not self.placement_parent_id:
            self.placement_parent_id = self._place_under(referrer)
        return self._get(program, self.placement_parent_id, lock=True)

    def _place_under(self, referrer):
        """Placement parent of a new referral of ``referrer`` (3×3 spill-over, see points_engine.chain)."""
        program = self.program_id
        Member = self.sudo()

        def children(partner_id):
            return Member.search([("program_id", "=", program.id), ("placement_parent_id", "=", partner_id)],
                                 order="placed_seq, id").partner_id.ids

        lines = children(referrer.partner_id.id)
        if len(lines) < LINES:
            target = referrer.partner_id.id
        else:
            roots = [lines[i - 1] for i in spill_block(referrer.placement_deep)]
            referrer.placement_deep += 1
            target = spill_target(roots, children)
        self.placed_seq = Member.search_count([("program_id", "=", program.id),
                                               ("placement_parent_id", "!=", False)]) + 1
        return target

    # -- package orders -----------------------------------------------------------------------
    @api.model
    def _package_paid(self, program, line, buyer, budget, order=None):
        """One paid package line of ``buyer``: identities first, then the rewards (cut to ``budget``), then the
        tasks of the earners whose contributed lines are above the buyer. Idempotent per source line."""
        Order = self.env["points.chain.order"].sudo()
        if Order.search_count([("program_id", "=", program.id), ("source_model", "=", line._name),
                               ("source_id", "=", line.id)], limit=1):
            return self.env["points.reward"]
        rules = program._rules()
        referrer_partner = buyer.referrer_id
        referrer = self._get(program, referrer_partner, lock=True) if referrer_partner else None
        member = self._get(program, buyer, lock=True)
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
        Order.create({"program_id": program.id, "partner_id": buyer.id, "source_model": line._name,
                      "source_id": line.id, "order_model": order._name if order else False,
                      "order_id": order.id if order else False})
        boss = self._get(program, member.team_boss_id) if member.team_boss_id else None

        def boss_referrer_of(key):
            partner = self.env["res.partner"].browse(key).referrer_id
            if not partner:
                return None
            row = self.sudo().search([("program_id", "=", program.id), ("partner_id", "=", partner.id)], limit=1)
            return row._state() if row else None

        raw = order_payouts(rules, referrer_state, boss._state() if boss else None, boss_referrer_of)
        left = to_decimal(budget)
        values = []
        for key, kind, amount, origin in raw:
            amount = min(amount, left)
            if amount <= 0:
                continue
            left -= amount
            earner = self._get(program, self.env["res.partner"].browse(key))
            held = hold(rules, earner._state(), amount)
            common = {"partner": key, "chain_kind": kind, "buyer": buyer, "origin": origin}
            if amount - held > 0:
                values.append(dict(common, rule=program.rule_id, amount=amount - held, fund=False))
            if held > 0:
                values.append(dict(common, rule=program.fund_rule_id, amount=held, fund=True))
        rewards = self._create_rewards(program, line, order, values)
        self._check_tasks(program, buyer)
        return rewards

    @api.model
    def _create_rewards(self, program, line, order, values):
        Reward = self.env["points.reward"].sudo()
        rows = []
        for vals in values:
            rows += Reward._reward_values(vals["rule"], line, vals["buyer"], order,
                                          [_Payout(vals["partner"], vals["amount"], vals["origin"])])
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
    def _check_tasks(self, program, buyer):
        """Releases the funds of the earners that have a contributed line strictly above ``buyer``."""
        if not buyer.referrer_id:
            return
        self.flush_model(["program_id", "released", "line_ids"])
        # the path stays in the database: a buyer 10,000 levels deep sends no array of 10,000 ids
        self.env.cr.execute(SQL(
            """SELECT DISTINCT m.id FROM points_referral_node n
                 CROSS JOIN LATERAL unnest(n.path) AS above(id)
                 JOIN points_chain_member_line_rel r ON r.partner_id = above.id AND above.id != n.partner_id
                 JOIN points_chain_member m ON m.id = r.member_id
                WHERE n.partner_id = %s AND m.program_id = %s AND m.released IS NOT TRUE""", buyer.id, program.id))
        self.browse([row[0] for row in self.env.cr.fetchall()])._release_if_met()

    def _release_if_met(self):
        released = self.browse()
        for member in self.sudo():
            lines = member._task_lines()
            if member.released or not task_met(member.program_id._rules(),
                                               [(identity, count) for _line, identity, count in lines]):
                continue
            member.write({"released": True, "released_at": fields.Datetime.now()})
            funds = self.env["points.reward"].sudo().search([
                ("chain_fund", "=", True), ("state", "=", "frozen"), ("partner_id", "=", member.partner_id.id),
                ("chain_program_id", "=", member.program_id.id)])
            funds.write({"release_date": fields.Datetime.now()})
            funds._release()
            self.env["points.chain.history"].sudo().create({
                "member_id": member.id, "old_identity": member.identity, "new_identity": member.identity,
                "reason": "release", "note": _("Chain fund released: task met.")})
            released |= member
        return released

    @api.model
    def _cron_release_funds(self):
        """Scheduled job: releases every fund whose task is met (orders refunded or lines changed in between)."""
        self.sudo().search([("released", "=", False), ("line_ids", "!=", False)])._release_if_met()

    # -- staff ------------------------------------------------------------------------------
    def action_set_identity(self, identity, note=None):
        """Staff set an identity by hand (gift, 内排): upgrades only, through the team rules; logged."""
        if not self.env.user.has_group("points_pool.group_points_manager"):
            raise AccessError(_("Only a Points Manager may set a chain identity."))
        if identity not in IDENTITIES:
            raise UserError(_("Unknown identity %s.", identity))
        for member in self:
            if IDENTITIES.index(identity) < IDENTITIES.index(member.identity):
                raise UserError(_("Chain identities are never lowered (%s).", member.partner_id.display_name))
            program, rules = member.program_id, member.program_id._rules()
            referrer = self._get(program, member.partner_id.referrer_id, lock=True) \
                if member.partner_id.referrer_id else None
            referrer = member._team_parent(referrer) if member.identity == MEMBER else referrer
            state, parent_state = member._state(), referrer._state() if referrer else None
            if identity != MEMBER:
                become_agent(rules, state, parent_state)
            if identity == BOSS:
                state.identity = BOSS
            if referrer:
                referrer._write_state(parent_state, "manual", note)
            member._write_state(state, "manual", note)

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
