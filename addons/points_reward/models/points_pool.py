from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import LazyTranslate

from odoo.addons.points_pool.models.points_pool_accounting import pool_account

from .points_ledger import REWARD_EVENTS

_lt = LazyTranslate(__name__)

#: Depth of team rewards that needs no acknowledgement (SPEC §9): the direct and the indirect referrer.
SAFE_REWARD_DEPTH = 2


class PointsPool(models.Model):
    """Reward accounts, the reward depth limit and the static-return limit of the company's pool."""

    _inherit = "points.pool"

    reward_depth_limit = fields.Integer(
        default=SAFE_REWARD_DEPTH, readonly=True, tracking=True,
        help="How many referrer levels above the buyer rewards may reach (level rules, rank differential, peer). "
             "Raising it above 2 needs a Points Manager's acknowledgement, logged here.")
    static_return_limit = fields.Float(
        digits=(6, 2), default=1.0, tracking=True,
        help="Plans warn when members may get back from the pool more than this multiple of their spend "
             "(the forced-exit multiple; no exit at all is no cap). 0 turns the warning off.")
    static_return_warning = fields.Char(compute="_compute_static_return_warning")
    reward_expense_account_id = pool_account(_lt("Referral reward expense"), "expense", "619300")
    frozen_reward_account_id = pool_account(_lt("Frozen rewards payable"), "liability_current", "219300")
    dividend_account_id = pool_account(_lt("Dividend pool liability"), "liability_current", "219400")

    @api.depends("exit_multiple", "static_return_limit")
    def _compute_static_return_warning(self):
        for pool in self:
            pool.static_return_warning = pool._static_return_message()

    def _static_return_message(self):
        self.ensure_one()
        if not self.static_return_limit:
            return False
        if not self.exit_multiple:
            return _("Forced exits are off: what members may get back from the profit pool has no cap, above the "
                     "static-return limit of %(limit)s× their spend. Guaranteed static returns can be unlawful "
                     "fund-raising in some jurisdictions.", limit=self.static_return_limit)
        if self.exit_multiple > self.static_return_limit:
            return _("Members may get back up to %(multiple)s× their spend from the profit pool, above the "
                     "static-return limit of %(limit)s×. Guaranteed static returns can be unlawful fund-raising in "
                     "some jurisdictions.", multiple=self.exit_multiple, limit=self.static_return_limit)
        return False

    def write(self, vals):
        if "reward_depth_limit" in vals:
            self._check_reward_depth_change(vals["reward_depth_limit"])
        return super().write(vals)

    def _check_reward_depth_change(self, limit):
        if limit < 1:
            raise ValidationError(_("Rewards reach at least the direct referrer: the depth limit is 1 or more."))
        for pool in self:
            if limit > max(pool.reward_depth_limit, SAFE_REWARD_DEPTH) and not self.env.context.get(
                    "points_depth_acknowledged"):
                raise UserError(_("Raising the reward depth above %s levels needs a Points Manager to acknowledge the "
                                  "warning: use Change Reward Depth.", SAFE_REWARD_DEPTH))
            deeper = self.env["points.reward.rule"].sudo().search(
                [("company_id", "=", pool.company_id.id), ("rule_type", "=", "level"), ("level", ">", limit)])
            if deeper:
                raise UserError(_("These rules pay deeper than %(limit)s levels: %(rules)s. Change or archive them "
                                  "first.", limit=limit, rules=", ".join(deeper.mapped("display_name"))))

    def action_open_depth_limit_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "points.depth.limit.wizard", "view_mode": "form",
            "target": "new", "name": _("Change Reward Depth"), "context": {"default_pool_id": self.id},
        }

    # -- accounting -----------------------------------------------------------------------
    def _prepare_move_lines(self, row):
        if row.event not in REWARD_EVENTS:
            return super()._prepare_move_lines(row)
        expense, frozen, dividend = self.reward_expense_account_id, self.frozen_reward_account_id, \
            self.dividend_account_id
        member = row.partner_id.id or False
        if row.event == "reward_freeze":
            source = dividend if row.reward_id.rule_type == "dividend" else expense
            return self._move_pair(row, source, frozen, row.amount, debit_partner=False, credit_partner=member)
        if row.event == "reward_release":
            return self._move_pair(row, frozen, self.wallet_account_id, row.amount, member, member)
        if row.event == "reward_reverse":
            lines = self._move_pair(row, frozen, expense, -row.frozen_delta, member, False)
            return lines + self._move_pair(row, self.wallet_account_id, expense, -row.cash_delta, member, False)
        if row.event == "dividend_accrual":
            return self._move_pair(row, expense, dividend, row.amount)
        return self._move_pair(row, dividend, expense, row.amount)

    def _record_reward_rows(self, entries, key=None):
        """Hands reward movements to the pool's sequencer, the one writer of wallets and ledger; returns the request.

        ``entries``: dicts with ``event``, ``amount`` and optionally ``wallet``, ``source``,
        ``key``, ``cash`` and ``frozen`` (wallet deltas), ``debt``, ``memo``, ``reward``, ``accrual``.
        ``key`` makes the whole request unique in the pool (a refund requested twice).
        The profit pool does not move: the sequencer writes each row at the price of its turn
        and posts them through :meth:`_prepare_move_lines`. The rows exist at once when the pool
        is free, later under load: callers keep their own records' state and never read the rows.
        """
        self.ensure_one()
        movements = [{
            "event": entry["event"], "amount": entry["amount"], "wallet": entry.get("wallet"),
            "source": entry.get("source"), "key": entry.get("key"), "memo": entry.get("memo"),
            "cash": entry.get("cash", 0), "frozen": entry.get("frozen", 0), "debt": entry.get("debt", 0),
            "ledger": {"frozen_delta": entry.get("frozen", 0), "reward_id": entry.get("reward"),
                       "dividend_accrual_id": entry.get("accrual")},
        } for entry in entries]
        return self._submit_movements(movements, key=key)

    def _dividend_ledger_total(self, domain=()):
        """Money in the company's dividend pools according to the ledger (rows matching ``domain``)."""
        rows = self.env["points.ledger"].sudo().search([("pool_id", "=", self.id), *domain, "|",
                                                        ("event", "in", ("dividend_accrual", "dividend_reverse")),
                                                        "&", ("event", "=", "reward_freeze"),
                                                        ("reward_id.rule_type", "=", "dividend")])
        return sum(row.amount if row.event == "dividend_accrual" else -row.amount for row in rows)

    def _reconciliation_sections(self):
        """Adds the frozen rewards (wallets, ledger, frozen-rewards account) and the dividend pools (rules,
        ledger, dividend-pool account)."""
        sections = super()._reconciliation_sections()
        pool = self.sudo()
        Ledger = self.env["points.ledger"].sudo()
        domain = [("pool_id", "=", pool.id)]
        wallet_frozen = self.env["points.wallet"].sudo()._read_group(domain, [], ["frozen_balance:sum"])[0][0] or 0.0
        ledger_frozen = Ledger._read_group(domain, [], ["frozen_delta:sum"])[0][0] or 0.0
        pending_frozen = Ledger._read_group(domain + [("move_id", "=", False)], [], ["frozen_delta:sum"])[0][0] or 0.0
        frozen_account = pool.frozen_reward_account_id
        frozen_figures = [(_("Ledger: sum of frozen movements"), ledger_frozen)]
        if frozen_account:
            frozen_figures.append((_("General ledger: %s", frozen_account.display_name),
                                   -pool._account_balance(frozen_account) + pending_frozen))
        rules = self.env["points.reward.rule"].sudo().with_context(active_test=False).search(
            [("company_id", "=", pool.company_id.id), ("rule_type", "=", "dividend")])
        in_pools = pool._dividend_ledger_total()
        dividend_figures = [(_("Ledger: accruals less reversals and shares paid"), in_pools)]
        if pool.dividend_account_id:
            dividend_figures.append((
                _("General ledger: %s", pool.dividend_account_id.display_name),
                -pool._account_balance(pool.dividend_account_id)
                + pool._dividend_ledger_total([("move_id", "=", False)])))
        return sections + [
            {"key": "frozen_rewards", "name": _("Frozen rewards"), "kind": "money",
             "reference_name": _("Member wallets: sum of frozen rewards"), "reference": wallet_frozen,
             "figures": frozen_figures},
            {"key": "dividend_pools", "name": _("Dividend pools"), "kind": "money",
             "reference_name": _("Dividend pools: sum of their balances (%s)", len(rules)),
             "reference": sum(rules.mapped("dividend_balance")), "figures": dividend_figures},
        ]

    # -- integrity -------------------------------------------------------------------------------
    def _integrity_checks(self, checks):
        """Adds the reward checks: each wallet's frozen balance = Σ ledger = its frozen-rewards account balance;
        the dividend pools = Σ ledger = the dividend-pool account balance."""
        super()._integrity_checks(checks)
        pool = self.sudo()
        check = checks.check
        Ledger = self.env["points.ledger"].sudo()
        frozen_rows = dict(Ledger._read_group([("pool_id", "=", pool.id), ("wallet_id", "!=", False)],
                                              ["wallet_id"], ["frozen_delta:sum"]))
        pending = dict(Ledger._read_group([("pool_id", "=", pool.id), ("move_id", "=", False)],
                                          ["partner_id"], ["frozen_delta:sum"]))
        gl_frozen = pool._account_balance_by_partner(pool.frozen_reward_account_id) \
            if pool.frozen_reward_account_id else {}
        for wallet in self.env["points.wallet"].sudo().search([("pool_id", "=", pool.id)]):
            partner = wallet.partner_id
            check(_("Σ ledger frozen movements = frozen balance"), wallet.frozen_balance,
                  frozen_rows.get(wallet, 0.0), partner)
            check(_("General ledger frozen rewards = frozen balance"), wallet.frozen_balance - pending.get(partner, 0.0),
                  -gl_frozen.get(partner.id, 0.0), partner)
            if wallet.frozen_balance < 0:
                check(_("Frozen balances are not negative"), 0.0, wallet.frozen_balance, partner)
        moved_outside = Ledger.search_count([("pool_id", "=", pool.id), ("reward_id.payout_mode", "=", "outside")])
        check(_("Rewards paid outside the platform move no money in the ledger"), 0.0, moved_outside)
        rules = self.env["points.reward.rule"].sudo().with_context(active_test=False).search(
            [("company_id", "=", pool.company_id.id), ("rule_type", "=", "dividend")])
        in_pools = pool._dividend_ledger_total()
        check(_("Dividend pools = Σ accruals − Σ reversals − Σ shares"), sum(rules.mapped("dividend_balance")),
              in_pools)
        if pool.dividend_account_id:
            check(_("General ledger dividend pool = dividend pools"),
                  in_pools - pool._dividend_ledger_total([("move_id", "=", False)]),
                  -pool._account_balance(pool.dividend_account_id))

    def _dashboard_cards(self):
        cards = super()._dashboard_cards()
        frozen = self.env["points.wallet"].sudo()._read_group(
            [("pool_id", "=", self.id)], [], ["frozen_balance:sum"])[0][0] or 0.0
        count = self.env["points.reward"].sudo().search_count(
            [("company_id", "=", self.company_id.id), ("state", "=", "frozen")])
        cards.append({
            "key": "frozen_rewards", "label": _("Frozen Rewards"), "value": frozen, "kind": "money",
            "sequence": 90, "action": "points_reward.points_reward_action",
            "detail": _("%(count)s rewards waiting for release", count=count),
        })
        return cards
