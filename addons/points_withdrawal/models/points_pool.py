from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import LazyTranslate

from odoo.addons.points_engine.rounding import to_decimal
from odoo.addons.points_pool.models.points_pool_accounting import pool_account

from .points_ledger import WALLET_SERVICE_EVENTS

_lt = LazyTranslate(__name__)


class PointsPool(models.Model):
    """Withdrawal and transfer settings of the company's pool, their accounting and integrity checks."""

    _inherit = "points.pool"

    withdrawal_min_amount = fields.Monetary(
        tracking=True, help="Smallest amount a member may ask to withdraw; 0 means none.")
    withdrawal_fee_rate = fields.Float(
        digits=(5, 4), tracking=True,
        help="Share of each withdrawal kept by the company as fee income (0 to below 1).")
    withdrawal_daily_limit = fields.Monetary(
        tracking=True,
        help="Most a member may ask to withdraw per day, counting open, approved and paid requests; 0 means none.")
    withdrawal_journal_id = fields.Many2one(
        "account.journal", check_company=True, tracking=True, domain="[('type', '=', 'bank')]",
        help="Bank journal paying withdrawals; empty: the company's first bank journal.")
    withdrawal_approver_id = fields.Many2one(
        "res.users", tracking=True, domain=lambda self: [
            ("groups_id", "in", self.env.ref("points_pool.group_points_manager").ids), ("share", "=", False)],
        help="Points Manager who gets an activity for every new request; empty: every Points Manager of the "
             "company.")
    withdrawal_fee_account_id = pool_account(_lt("Withdrawal fee income"), "income_other", "605100")
    exit_withdrawal = fields.Boolean(
        "Withdraw at Forced Exit", tracking=True,
        help="The cash a member receives at a forced exit becomes a withdrawal request at once, under the usual rules "
             "(minimum, fee, approval); cash below the minimum stays in the wallet.")
    transfer_enabled = fields.Boolean(
        tracking=True, help="Members may send cash balance or points to another member.")
    transfer_max_cash = fields.Monetary(tracking=True, help="Most cash one transfer may move; 0 means no limit.")
    transfer_max_points = fields.Float(
        digits=(16, 4), tracking=True, help="Most points one transfer may move; 0 means no limit.")

    def _compute_counts(self):
        """Points transfers move no money: their rows never wait for an entry."""
        super()._compute_counts()
        moneyless = dict(self.env["points.ledger"]._read_group(
            [("pool_id", "in", self.ids), ("move_id", "=", False), ("transfer_id", "!=", False),
             ("amount", "=", 0)], ["pool_id"], ["__count"]))
        for pool in self:
            pool.pending_entry_count -= moneyless.get(pool, 0)

    @api.constrains("withdrawal_min_amount", "withdrawal_fee_rate", "withdrawal_daily_limit", "transfer_max_cash",
                    "transfer_max_points")
    def _check_wallet_service_parameters(self):
        for pool in self:
            if not 0 <= pool.withdrawal_fee_rate < 1:
                raise ValidationError(_("The withdrawal fee must be at least 0 and below 1 (100%)."))
            if min(pool.withdrawal_min_amount, pool.withdrawal_daily_limit, pool.transfer_max_cash,
                   pool.transfer_max_points) < 0:
                raise ValidationError(_("Withdrawal and transfer limits cannot be negative (0 means none)."))

    # -- accounting -----------------------------------------------------------------
    def _prepare_move_lines(self, row):
        if row.event not in WALLET_SERVICE_EVENTS:
            return super()._prepare_move_lines(row)
        member = row.partner_id.id or False
        if row.event == "withdrawal_fee":
            return self._move_pair(row, self.wallet_account_id, self.withdrawal_fee_account_id, row.amount,
                                   debit_partner=member)
        if row.event == "transfer_out" and row.cash_delta:
            # One entry for both sides: the sender's payable falls, the recipient's rises.
            return self._move_pair(row, self.wallet_account_id, self.wallet_account_id, row.amount,
                                   debit_partner=member, credit_partner=row.transfer_id.recipient_id.id)
        # The payment's own entry books a withdrawal; the sender's row books a cash transfer.
        return []

    def _record_wallet_rows(self, entries, wallet=None, reserved_cash=0, reserved_points=0, key=None):
        """Hands wallet-service movements to the pool's sequencer, the one writer of balances; returns the request.

        ``entries``: dicts with ``event``, ``wallet``, ``source`` (the withdrawal or transfer),
        ``amount`` and optionally ``cash`` and ``points`` (wallet deltas), ``gross`` (value of
        the points moved), ``memo`` and ``overdraft`` (default False: a request that would take
        a cash balance below zero is refused and moves nothing). Each row is keyed on its event
        and source, so a movement is applied once; the rows of one request are applied together
        or not at all, at the pool's price of their turn. ``wallet`` with ``reserved_cash`` /
        ``reserved_points``: what the request holds back from that member until it is applied.
        """
        self.ensure_one()
        movements = []
        for entry in entries:
            source = entry["source"]
            link = "withdrawal_id" if source._name == "points.withdrawal" else "transfer_id"
            movements.append({
                "event": entry["event"], "wallet": entry["wallet"], "source": source,
                "key": self._source_key(entry["event"], source), "amount": to_decimal(entry.get("amount", 0)),
                "cash": to_decimal(entry.get("cash", 0)), "points": to_decimal(entry.get("points", 0)),
                "gross": to_decimal(entry.get("gross", 0)), "memo": entry.get("memo"),
                "overdraft": entry.get("overdraft", False), "ledger": {link: source},
            })
        return self._submit_movements(movements, key=key, wallet=wallet, reserved_cash=reserved_cash,
                                      reserved_points=reserved_points)

    def _withdrawal_journal(self):
        """Bank journal of withdrawal payments: the chosen one, else the company's first bank journal."""
        self.ensure_one()
        journal = self.withdrawal_journal_id or self.env["account.journal"].sudo().search(
            [("company_id", "=", self.company_id.id), ("type", "=", "bank")], order="sequence, id", limit=1)
        if not journal:
            raise UserError(_("%s has no bank journal to pay withdrawals from: create one or choose it in the "
                              "Points settings.", self.company_id.name))
        return journal

    # -- integrity ---------------------------------------------------------------------
    def _integrity_checks(self, checks):
        """Adds the wallet-service checks: each wallet's reserved balance is the sum of its open requests and of
        the cash its pending pool requests hold, each paid withdrawal took its whole amount from the wallet, each
        transfer moved as much as it took."""
        super()._integrity_checks(checks)
        pool = self.sudo()
        check = checks.check
        Withdrawal = self.env["points.withdrawal"].sudo()
        reserved = dict(Withdrawal._read_group([("pool_id", "=", pool.id), ("state", "=", "requested")],
                                               ["wallet_id"], ["amount:sum"]))
        held = dict(self.env["points.pool.request"].sudo()._read_group(
            [("pool_id", "=", pool.id), ("state", "=", "pending"), ("wallet_id", "!=", False)],
            ["wallet_id"], ["reserved_cash:sum"]))
        for wallet in self.env["points.wallet"].sudo().search([("pool_id", "=", pool.id)]):
            check(_("Reserved balance = open withdrawal requests + cash held by pending pool requests"),
                  reserved.get(wallet, 0.0) + held.get(wallet, 0.0), wallet.reserved_balance, wallet.partner_id)
        Ledger = self.env["points.ledger"].sudo()
        taken = dict(Ledger._read_group([("pool_id", "=", pool.id), ("withdrawal_id", "!=", False)],
                                        ["withdrawal_id"], ["cash_delta:sum"]))
        for withdrawal in Withdrawal.search([("pool_id", "=", pool.id), ("state", "=", "paid")]):
            check(_("A paid withdrawal takes its amount from the wallet (%s)", withdrawal.name),
                  -withdrawal.amount, taken.get(withdrawal, 0.0), withdrawal.partner_id)
        for withdrawal in Withdrawal.search([("pool_id", "=", pool.id), ("state", "!=", "paid")]):
            if withdrawal in taken:
                check(_("Only paid withdrawals move money (%s)", withdrawal.name), 0.0, taken[withdrawal],
                      withdrawal.partner_id)
        for transfer, cash, points in Ledger._read_group(
                [("pool_id", "=", pool.id), ("transfer_id", "!=", False)], ["transfer_id"],
                ["cash_delta:sum", "points_delta:sum"]):
            check(_("A transfer moves as much as it takes (%s)", transfer.name), 0.0, cash)
            check(_("A transfer moves as many points as it takes (%s)", transfer.name), 0.0, points, precision=4)

    def _dashboard_cards(self):
        cards = super()._dashboard_cards()
        [(count, amount)] = self.env["points.withdrawal"].sudo()._read_group(
            [("pool_id", "=", self.id), ("state", "=", "requested")], [], ["__count", "amount:sum"])
        cards.append({
            "key": "withdrawals_waiting", "label": _("Withdrawals Waiting"), "value": amount or 0.0, "kind": "money",
            "sequence": 70, "action": "points_withdrawal.points_withdrawal_action",
            "detail": _("%(count)s requests to approve", count=count),
        })
        return cards
