from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.points_engine.rewards import (
    Payout, Upline, cap_to_budget, level_rewards, peer_rewards, rank_differential,
    regional_differential, rule_amount,
)
from odoo.addons.points_engine.rounding import money_half_up, to_decimal
from odoo.addons.points_engine.wallet import debt_growth
from odoo.addons.points_pool.keys import idempotency_key

from .points_reward_rule import RULE_TYPES

REWARD_STATES = [("frozen", "Frozen"), ("available", "Available"), ("outside", "Recorded Outside"),
                 ("reversed", "Reversed")]


class PointsReward(models.Model):
    """One reward of one rule to one member for one source line (SPEC §6).

    Rewards arrive frozen and are released into the member's cash balance by a
    scheduled job once their freeze period is over; a refund of the source line
    reverses them pro rata, from the frozen balance or, once released, from the
    cash balance (which may then show a debt).
    """

    _name = "points.reward"
    _inherit = ["points.source.mixin", "points.reversible.mixin"]
    _description = "Reward"
    _order = "date desc, id desc"
    _rec_names_search = ["partner_id", "rule_id"]

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Beneficiary", required=True, readonly=True, index=True,
                                 ondelete="restrict")
    rule_id = fields.Many2one("points.reward.rule", required=True, readonly=True, index=True, ondelete="restrict")
    rule_type = fields.Selection(related="rule_id.rule_type", store=True, string="Kind")
    bucket = fields.Selection(related="rule_id.bucket", store=True)
    buyer_id = fields.Many2one("res.partner", string="Buyer", readonly=True, index=True)
    origin_partner_id = fields.Many2one("res.partner", string="Peer Of", readonly=True,
                                        help="The differential earner a peer reward derives from.")
    source_id = fields.Many2oneReference(index=True)
    source_ref = fields.Reference(string="Source")
    order_id = fields.Many2oneReference(index="btree_not_null")
    dividend_period_id = fields.Many2one("points.dividend.period", readonly=True, index="btree_not_null",
                                         ondelete="restrict")
    level = fields.Integer(readonly=True, aggregator=None,
                           help="Referrer level above the buyer (1 = direct), or the agent level's position (1 = the level "
                                "closest to the buyer).")
    amount = fields.Monetary(readonly=True, help="The reward as computed when the line was paid.")
    net_amount = fields.Monetary(compute="_compute_net_amount", store=True, string="Net")
    state = fields.Selection(REWARD_STATES, default="frozen", required=True, readonly=True, index=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    delivered_at = fields.Datetime("Delivered On", readonly=True)
    release_date = fields.Datetime(readonly=True, index="btree_not_null",
                                   help="When the release job credits the reward; empty while the delivery is awaited.")
    released_at = fields.Datetime("Released On", readonly=True)
    ledger_ids = fields.One2many("points.ledger", "reward_id", readonly=True)
    payout_mode = fields.Selection(related="rule_id.payout_mode", store=True, string="Payout")
    outside_refund_keys = fields.Text(
        readonly=True, copy=False,
        help="Refunds that reversed this reward recorded outside, one per line (each applies once).")

    _sql_constraints = [
        ("source_beneficiary_rule_uniq", "unique(source_model, source_id, partner_id, rule_id)",
         "A rule rewards a member once per source line."),
        ("amount_positive", "CHECK(amount > 0)", "A reward is positive."),
    ]

    @api.depends("amount", "reversed_amount")
    def _compute_net_amount(self):
        for reward in self:
            reward.net_amount = reward.amount - reward.reversed_amount

    @api.depends("partner_id", "rule_id")
    def _compute_display_name(self):
        for reward in self:
            reward.display_name = f"{reward.rule_id.name or ''} – {reward.partner_id.display_name or ''}"

    # -- actions ---------------------------------------------------------------------------
    def action_release_now(self):
        """A Points Manager releases frozen rewards before the end of their freeze period."""
        self._check_manager()
        self.filtered(lambda r: r.state == "frozen")._release()

    def action_mark_delivered(self):
        """The goods of these rewards' orders were delivered: the return window starts now."""
        self._check_manager()
        self.filtered(lambda r: r.state == "frozen" and not r.delivered_at)._set_delivered(fields.Datetime.now())

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group("points_pool.group_points_manager"):
            raise AccessError(_("Only a Points Manager may release rewards or mark them delivered."))

    # -- computing rewards --------------------------------------------------------------------
    @api.model
    def _reward_source(self, line, buyer, bucket_amounts, company, *, base_amount, quantity=1.0, delivery_partner=None,
                       store=None, service_point=None, plan=None, order=None, date=None, line_share=1.0,
                       rule_types=None):
        """Computes and stores the rewards of one paid line; returns the new rewards.

        ``bucket_amounts`` {bucket: amount} is what the allocation plan put in each bucket
        for the line; the rules of a bucket never pay more than that. Idempotent: a rule
        that already rewarded ``line`` is skipped. Service-point rules only run when
        ``rule_types`` asks for them (on a verified pickup).
        """
        line.ensure_one()
        rule_types = rule_types or [key for key, _label in RULE_TYPES if key != "service_point"]
        rules = self.env["points.reward.rule"]._for_line(company, plan, rule_types)
        done = self._existing_rules(line)
        rules = rules.filtered(lambda rule: rule not in done)
        if not rules:
            return self.browse()
        pool = self.env["points.pool"].sudo()._get_for_company(company)
        context = _RewardContext(self.env, pool, line, buyer, company, bucket_amounts, base_amount, quantity,
                                 delivery_partner or buyer, store, service_point)
        values, entries = [], []
        for rule in rules:
            payouts = context.payouts(rule)
            if rule.rule_type == "dividend":
                accrual = self.env["points.dividend.accrual"]._accrue(rule, line, order, payouts, date)
                entries += accrual._ledger_entries()
                continue
            values += self._reward_values(rule, line, buyer, order, payouts, date, line_share)
        rewards = self.sudo().create(values)
        # Rewards paid outside the platform are recorded only: no frozen balance, no ledger row, no entry.
        paid_here = rewards.filtered(lambda r: r.state != "outside")
        entries += paid_here._freeze_entries()
        pool._record_reward_rows(entries)
        paid_here.filtered(lambda r: r.release_date and r.release_date <= fields.Datetime.now())._release()
        return rewards

    @api.model
    def _existing_rules(self, line):
        rules = self.sudo().search(self._source_domain(line)).rule_id
        return rules | self.env["points.dividend.accrual"].sudo().search(self._source_domain(line)).rule_id

    @api.model
    def _create_rewards(self, rule, source, buyer, order, payouts, date=None, line_share=1.0):
        return self.sudo().create(self._reward_values(rule, source, buyer, order, payouts, date, line_share))

    @api.model
    def _reward_values(self, rule, source, buyer, order, payouts, date=None, line_share=1.0):
        now = date or fields.Datetime.now()
        # Paid outside the platform: recorded, never frozen nor released.
        outside = rule.payout_mode == "outside"
        delivered_at = self._delivery_date(order) if rule.freeze_mode == "delivery" and not outside else False
        return [{
            "company_id": rule.company_id.id, "partner_id": payout.member, "rule_id": rule.id,
            "buyer_id": buyer.id if buyer else False, "origin_partner_id": payout.origin or False,
            **self._source_values(source, order),
            "dividend_period_id": source.id if source._name == "points.dividend.period" else False,
            "level": payout.level, "amount": float(payout.amount), "line_share": line_share, "date": now,
            "delivered_at": delivered_at or False,
            "release_date": not outside and rule._release_date(fields.Datetime.now(), delivered_at) or False,
            "state": "outside" if outside else "frozen",
        } for payout in payouts if payout.amount > 0]

    def _freeze_entries(self):
        wallets = self._wallets()
        Pool = self.env["points.pool"]
        return [{
            "event": "reward_freeze", "amount": reward.amount, "frozen": to_decimal(reward.amount),
            "wallet": wallets[reward.partner_id, reward.company_id], "source": reward, "reward": reward,
            "key": Pool._source_key("reward_freeze", reward),
        } for reward in self]

    def _wallets(self):
        """{(beneficiary, company): wallet} of these rewards, in one search (missing wallets are opened)."""
        Wallet = self.env["points.wallet"].sudo()
        found = Wallet.search([("partner_id", "in", self.partner_id.ids), ("company_id", "in", self.company_id.ids)])
        wallets = {(wallet.partner_id, wallet.company_id): wallet for wallet in found}
        for reward in self:
            key = (reward.partner_id, reward.company_id)
            if key not in wallets:
                wallets[key] = Wallet._get_for_partner(reward.partner_id, reward.company_id)
        return wallets

    def _wallet(self):
        self.ensure_one()
        return self._wallets()[self.partner_id, self.company_id]

    # -- release -----------------------------------------------------------------------------------
    @api.model
    def _cron_release_rewards(self, batch=2000):
        """Scheduled job: sets the release dates of delivered orders, then credits every due reward."""
        waiting = self.sudo().search([("state", "=", "frozen"), ("release_date", "=", False)])
        for order_key, rewards in waiting.grouped(lambda r: (r.order_model, r.order_id)).items():
            delivered_at = self._delivery_date(rewards[:1]._source_order())
            if delivered_at:
                rewards._set_delivered(delivered_at)
        while True:
            due = self.sudo().search([("state", "=", "frozen"), ("release_date", "<=", fields.Datetime.now())],
                                     order="release_date, id", limit=batch)
            if not due:
                break
            due._release()

    def _release(self):
        """Credits the frozen rewards' net amounts to their members' cash balances.

        The rewards' state changes at once; the money follows in the pool's order of events,
        after the freeze and any reversal requested before (a release cannot be refused).
        Two releases of one reward at once collide on the reward's row, and its ledger key
        makes the sequencer write the row once.
        """
        for company, rewards in self.sudo().grouped("company_id").items():
            pool = self.env["points.pool"].sudo()._get_for_company(company)
            rewards = rewards.filtered(lambda r: r.state == "frozen")
            wallets = rewards._wallets()
            entries = [{
                "event": "reward_release", "amount": reward.net_amount, "cash": to_decimal(reward.net_amount),
                "frozen": -to_decimal(reward.net_amount), "wallet": wallets[reward.partner_id, reward.company_id],
                "source": reward, "reward": reward, "key": pool._source_key("reward_release", reward),
            } for reward in rewards if reward.net_amount > 0]
            pool._record_reward_rows(entries)
            now = fields.Datetime.now()
            rewards.filtered(lambda r: r.net_amount > 0).write({"state": "available", "released_at": now})
            rewards.filtered(lambda r: r.net_amount <= 0).write({"state": "reversed"})

    def _set_delivered(self, delivered_at):
        for reward in self:
            reward.write({"delivered_at": delivered_at,
                          "release_date": reward.rule_id._release_date(reward.date, delivered_at)})

    @api.model
    def _delivery_date(self, order):
        """When the goods of ``order`` reached the buyer, or False while unknown.

        The order's channel knows (``_points_delivery_date`` of ``points.order.mixin``); documents
        that are not a channel's orders never say.
        """
        order = self.env["points.allocation"]._order_hooks(order)
        return order._points_delivery_date() if order else False

    # -- refunds ----------------------------------------------------------------------------------
    @api.model
    def _reverse_source(self, line, ratio, refund_source, refunded=None):
        """A refund of ``ratio`` of ``line``: its rewards and dividend accruals are reversed pro rata.

        ``refunded`` is the share of the line refunded in all, this refund included, when
        the caller keeps it (the allocation rows do): the rewards then follow it exactly,
        whatever the rounding of the single ratios. A frozen reward gives back from the
        frozen balance; a released one from the cash balance, which may become a debt.
        Each refund is applied once: its request's key is unique in the pool, so the same
        refund asked again, even before the pool applied the first one, changes nothing.
        """
        rewards = self.sudo().search([*self._source_domain(line), ("state", "!=", "reversed")])
        accruals = self.env["points.dividend.accrual"].sudo().search(self._source_domain(line))
        if not rewards and not accruals:
            return
        pool = self.env["points.pool"].sudo()._get_for_company((rewards or accruals)[:1].company_id)
        key = idempotency_key("reward_reverse", line, refund_source)
        if self.env["points.pool.request"].sudo().search_count([("pool_id", "=", pool.id), ("key", "=", key)],
                                                                limit=1):
            return
        entries = []
        for record in [*rewards, *accruals]:
            entries += record._reversal_entries(record._reversal_share(ratio, refunded), refund_source)
        pool._record_reward_rows(entries, key=key)

    def _reversal_entries(self, share, refund_source):
        self.ensure_one()
        if self.state == "outside":
            return self._reverse_outside(share, refund_source)
        released = self.state == "available"
        amount, key = self._take_back(share, refund_source, "reward_reverse")
        if not key:
            return []
        # Reversed once nothing is left: refunds of 1/3 each reverse all of it, whatever the ratios' rounding.
        if self.reversed_ratio >= 1 or self.reversed_amount >= self.amount:
            self.state = "reversed"
        if not amount:
            return []
        wallet = self._wallet()
        entry = {"event": "reward_reverse", "amount": amount, "wallet": wallet, "source": self, "reward": self,
                 "key": key, "memo": refund_source.display_name}
        if not released:
            entry["frozen"] = -amount
        else:
            # The row's debt is what exceeds the cash balance as this transaction sees it; requests applied in
            # between may move it. The wallet's debt, which the sequencer keeps, is the figure that counts.
            cash = money_half_up(to_decimal(wallet.cash_balance), self.currency_id.decimal_places)
            entry.update(cash=-amount, debt=debt_growth(cash, -amount))
        return [entry]

    def _reverse_outside(self, share, refund_source):
        """A refund reverses a reward recorded outside: only its recorded amounts change (no ledger row)."""
        self.ensure_one()
        refund_key = idempotency_key(refund_source)
        if refund_key in (self.outside_refund_keys or "").split():
            return []
        amount, _key = self._take_back(share, refund_source, "reward_reverse")
        self.outside_refund_keys = "\n".join(filter(None, [self.outside_refund_keys, refund_key]))
        if self.reversed_ratio >= 1 or self.reversed_amount >= self.amount:
            self.state = "reversed"
        return []


class _RewardContext:
    """What the rules of one line share: its buckets (budgets), the buyer's chain, loaded once, and the
    differential paid so far (for peers)."""

    def __init__(self, env, pool, line, buyer, company, bucket_amounts, base_amount, quantity, delivery_partner,
                 store, service_point):
        self.env, self.pool, self.line, self.buyer, self.company = env, pool, line, buyer, company
        self.budgets = {bucket: to_decimal(amount) for bucket, amount in bucket_amounts.items()}
        self.base_amount, self.quantity = to_decimal(base_amount), to_decimal(quantity)
        self.delivery_partner, self.store, self.service_point = delivery_partner, store, service_point
        self.digits = company.currency_id.decimal_places
        self.differential = {}
        self._ancestors = self._ranks = None
        self._eligibility = {}

    def _load_chain(self):
        """The buyer's ancestors up to the reward depth limit and the ranks among them, loaded once."""
        if self._ancestors is None:
            self._ancestors, self._ranks = self.buyer._referral_chain(
                self.company, limit=self.pool.reward_depth_limit)

    def chain(self, levels):
        """The nearest ``levels`` ancestors (level rules)."""
        self._load_chain()
        return [Upline(member, self._ranks.get(member), level)
                for level, member in enumerate(self._ancestors[:levels], start=1)]

    @property
    def ranked_chain(self):
        """Only the ancestors holding a rank, with their levels: all the differential and peers need.

        Archived members hold no rank here, so they pass their share up.
        """
        self._load_chain()
        return [Upline(member, self._ranks[member], level)
                for level, member in enumerate(self._ancestors, start=1) if member in self._ranks]

    def amount(self, rule, value):
        return rule_amount(rule.basis, to_decimal(value), self.base_amount, self.quantity,
                           self.budgets.get(rule.bucket, Decimal(0)), self.digits)

    def payouts(self, rule):
        """What ``rule`` pays for the line, within what is left of its bucket."""
        payouts = getattr(self, f"_payouts_{rule.rule_type}")(rule)
        excluded = self._excluded([payout.member for payout in payouts if payout.member is not None])
        payouts = [payout for payout in payouts if payout.member not in excluded]
        paid, self.budgets[rule.bucket] = cap_to_budget(payouts, self.budgets.get(rule.bucket, Decimal(0)))
        if rule.rule_type == "rank_differential":
            for payout in paid:
                self.differential[payout.member] = self.differential.get(payout.member, Decimal(0)) + payout.amount
        return paid

    def _excluded(self, partner_ids):
        """Who of ``partner_ids`` earns nothing: archived members, members of another company, blocked wallets."""
        unknown = [pid for pid in partner_ids if pid not in self._eligibility]
        if unknown:
            partners = self.env["res.partner"].sudo().browse(unknown)
            blocked = set(self.env["points.wallet"].sudo().search(
                [("partner_id", "in", unknown), ("pool_id", "=", self.pool.id), ("state", "=", "blocked")]
            ).partner_id.ids)
            for partner in partners:
                self._eligibility[partner.id] = partner.active and partner.id not in blocked and (
                    not partner.company_id or partner.company_id == self.company)
        return {pid for pid in partner_ids if not self._eligibility[pid]}

    def _payouts_level(self, rule):
        chain = self.chain(rule.level)
        if rule.min_rank_id and (len(chain) < rule.level or (chain[-1].rank or 0) < rule.min_rank_id.level):
            return []
        return level_rewards(chain, {rule.level: self.amount(rule, rule.value)})

    def _payouts_rank_differential(self, rule):
        chain = self.ranked_chain
        rates = {line.rank_id.level: self.amount(rule, line.value) for line in rule.line_ids if line.rank_id.active}
        earned = rank_differential(chain, rates)
        levels = {upline.member: upline.level for upline in chain}
        return [Payout(member, amount, levels[member]) for member, amount in earned.items()]

    def _payouts_peer(self, rule):
        return peer_rewards(self.ranked_chain, self.differential, to_decimal(rule.value), self.digits)

    def _payouts_regional(self, rule):
        agents = self.env["points.agent"]._agents_for(self.delivery_partner, self.company)
        rates = {line.agent_level_id: self.amount(rule, line.value) for line in rule.line_ids}
        levels = self.env["points.agent.level"]._for_company(self.company)
        return regional_differential([(level.id, agents.get(level) and agents[level].id, rates.get(level))
                                      for level in levels])

    def _payouts_merchant(self, rule):
        recruiter = self.store and self.store.points_recruiter_id
        return [Payout(recruiter.id, self.amount(rule, rule.value))] if recruiter else []

    def _payouts_service_point(self, rule):
        return [Payout(self.service_point.id, self.amount(rule, rule.value))] if self.service_point else []

    def _payouts_dividend(self, rule):
        return [Payout(None, self.amount(rule, rule.value))]
