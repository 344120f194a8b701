from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.points_engine.rewards import Payout, share_dividend
from odoo.addons.points_engine.rounding import money_half_up, to_decimal


class PointsDividendAccrual(models.Model):
    """What one paid line put into a dividend pool (股东加权分红 / 链动分红)."""

    _name = "points.dividend.accrual"
    _inherit = ["points.source.mixin", "points.reversible.mixin"]
    _description = "Dividend Pool Accrual"
    _order = "date desc, id desc"

    rule_id = fields.Many2one("points.reward.rule", string="Dividend Pool", required=True, readonly=True, index=True,
                              ondelete="restrict")
    company_id = fields.Many2one(related="rule_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    source_id = fields.Many2oneReference(index=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    amount = fields.Monetary(readonly=True)

    _sql_constraints = [
        ("rule_source_uniq", "unique(rule_id, source_model, source_id)", "A line accrues to a dividend pool once."),
    ]

    @api.model
    def _accrue(self, rule, line, order, payouts, date=None):
        amount = sum((payout.amount for payout in payouts), Decimal(0))
        if amount <= 0:
            return self.browse()
        return self.sudo().create({
            "rule_id": rule.id, **self._source_values(line, order),
            "amount": float(amount), "date": date or fields.Datetime.now(),
        })

    def _ledger_entries(self):
        return [{"event": "dividend_accrual", "amount": accrual.amount, "source": accrual, "accrual": accrual}
                for accrual in self]

    def _reversal_entries(self, share, refund_source):
        """Takes a refunded share back from the dividend pool (from the next period if already shared)."""
        amount, key = self._take_back(share, refund_source, "dividend_reverse")
        if not amount:
            return []
        return [{"event": "dividend_reverse", "amount": amount, "source": self, "accrual": self, "key": key,
                 "memo": refund_source.display_name}]


class PointsDividendPeriod(models.Model):
    """One close of a dividend pool: what it held, what went to which ranks, what stays for the next period."""

    _name = "points.dividend.period"
    _description = "Dividend Period"
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    rule_id = fields.Many2one("points.reward.rule", string="Dividend Pool", required=True, readonly=True, index=True,
                              ondelete="restrict")
    company_id = fields.Many2one(related="rule_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date("From", readonly=True)
    date = fields.Date("Closed On", required=True, readonly=True)
    amount = fields.Monetary("Pool", readonly=True, help="What the dividend pool held at the close.")
    distributed = fields.Monetary("Shared", readonly=True)
    carried = fields.Monetary("Carried Forward", readonly=True,
                              help="Left in the pool for the next period (ranks without members, rounding).")
    member_count = fields.Integer("Members", readonly=True)
    reward_ids = fields.One2many("points.reward", "dividend_period_id", readonly=True)

    @api.depends("rule_id.name", "date")
    def _compute_name(self):
        # A stored text: in the staff's language (the company's), whatever the language of the flush computing it.
        for period in self:
            rule = period.rule_id.with_context(lang=period.company_id.partner_id.lang or "en_US")
            period.name = f"{rule.name or ''} {period.date or ''}"

    def action_open_rewards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_reward.points_reward_action")
        action["domain"] = [("dividend_period_id", "=", self.id)]
        return action

    @api.model
    def _plan(self, rule, amount):
        """How ``amount`` of the pool of ``rule`` would be shared now: (payouts, left, [(rank, members, total)])."""
        company = rule.company_id
        Partner = self.env["res.partner"].sudo().with_company(company)
        shares, members = {}, {}
        for line in rule.line_ids.filtered(lambda l: l.rank_id.active):
            partners = Partner.search([("rank_id", "=", line.rank_id.id)]).filtered(
                lambda p: not p.company_id or p.company_id == company)
            stats = {stat.partner_id.id: stat for stat in self.env["points.team.stat"].sudo().search(
                [("partner_id", "in", partners.ids), ("company_id", "=", company.id)])}
            shares[line.rank_id.id] = to_decimal(line.value)
            members[line.rank_id.id] = [
                (partner.id, to_decimal(stats[partner.id].own_spend + stats[partner.id].team_volume)
                 if partner.id in stats else Decimal(0)) for partner in partners]
        payouts, left = share_dividend(amount, shares, members, weighted=rule.dividend_weighting == "weighted",
                                       digits=company.currency_id.decimal_places)
        summary = [(line.rank_id, len(members.get(line.rank_id.id, ())),
                    sum((payouts.get(pid, Decimal(0)) for pid, _w in members.get(line.rank_id.id, ())), Decimal(0)))
                   for line in rule.line_ids if line.rank_id.id in members]
        return payouts, left, summary

    @api.model
    def _close(self, rule, date=None):
        """Shares what the dividend pool of ``rule`` holds among the members of its ranks, as frozen rewards."""
        rule = rule.sudo()
        date = date or fields.Date.context_today(rule)
        # Closes of one dividend pool take turns on its rule (accruals only reference it: they do not wait).
        self.env.cr.execute(SQL("SELECT id FROM points_reward_rule WHERE id = %s FOR NO KEY UPDATE", rule.id))
        rule.invalidate_recordset()
        pool = self.env["points.pool"].sudo()._get_for_company(rule.company_id)
        amount = money_half_up(to_decimal(rule.dividend_balance), rule.currency_id.decimal_places)
        if amount <= 0:
            raise UserError(_("The dividend pool %s holds nothing to share.", rule.name))
        payouts, left, _summary = self._plan(rule, amount)
        previous = rule.dividend_period_ids[:1]
        period = self.sudo().create({
            "rule_id": rule.id, "date": date, "date_from": previous.date or False, "amount": float(amount),
            "distributed": float(amount - left), "carried": float(left), "member_count": len(payouts),
        })
        Reward = self.env["points.reward"].sudo()
        rewards = Reward._create_rewards(rule, period, None, None,
                                         [Payout(member, share) for member, share in payouts.items()])
        pool._record_reward_rows(rewards._freeze_entries())
        rewards.filtered(lambda r: r.release_date and r.release_date <= fields.Datetime.now())._release()
        rule.dividend_next_close = rule._next_close(date)
        return period

    @api.model
    def _cron_close_dividends(self):
        """Scheduled job: closes every dividend pool whose period ended."""
        today = fields.Date.context_today(self)
        rules = self.env["points.reward.rule"].sudo().search([
            ("rule_type", "=", "dividend"), ("dividend_period", "!=", "manual"),
            ("dividend_next_close", "<=", today)])
        for rule in rules:
            if rule.dividend_balance > 0:
                self._close(rule, today)
            else:
                rule.dividend_next_close = rule._next_close(today)
