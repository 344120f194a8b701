from decimal import Decimal

from odoo import _, api, fields, models

from odoo.addons.points_engine.rounding import money_half_up, to_decimal


class PointsWallet(models.Model):
    """Money reserved by open withdrawal requests and pending pool requests, and what is left to withdraw or
    transfer."""

    _inherit = "points.wallet"

    withdrawal_ids = fields.One2many("points.withdrawal", "wallet_id")
    pool_request_ids = fields.One2many("points.pool.request", "wallet_id")
    # Not stored: the sequencer rewrites wallet rows, so a stored reservation written by callers would make
    # them collide with it; both are read from the open withdrawal requests and the pending pool requests.
    reserved_balance = fields.Monetary(
        compute="_compute_reserved_balance",
        help="Cash set aside by open withdrawal requests and by transfers waiting for the profit pool: it can be "
             "neither requested again nor transferred.")
    available_cash = fields.Monetary(
        compute="_compute_reserved_balance",
        help="Cash that may be withdrawn or transferred now: the cash balance less reserved money, never below 0. "
             "Frozen rewards are not part of it.")
    withdrawal_count = fields.Integer(compute="_compute_withdrawal_count")
    transfer_enabled = fields.Boolean(related="pool_id.transfer_enabled")

    @api.depends("cash_balance", "withdrawal_ids.state", "withdrawal_ids.amount", "pool_request_ids.state",
                 "pool_request_ids.reserved_cash")
    def _compute_reserved_balance(self):
        requested = self._requested_by_wallet()
        pending = self._reserved_by_wallet()
        for wallet in self:
            digits = wallet.currency_id.decimal_places if wallet.currency_id else 2
            reserved = requested.get(wallet.id, Decimal(0)) + pending.get(wallet.id, (0, Decimal(0)))[1]
            wallet.reserved_balance = float(reserved)
            wallet.available_cash = float(max(money_half_up(to_decimal(wallet.cash_balance), digits) - reserved,
                                              Decimal(0)))

    def _compute_withdrawal_count(self):
        counts = dict(self.env["points.withdrawal"]._read_group(
            [("wallet_id", "in", self.ids)], ["wallet_id"], ["__count"]))
        for wallet in self:
            wallet.withdrawal_count = counts.get(wallet, 0)

    # -- reservations ----------------------------------------------------------------
    def _requested_by_wallet(self):
        """{wallet id: amount} the wallets' withdrawal requests waiting for approval hold back (exact)."""
        ids = [wallet_id for wallet_id in self.ids if wallet_id]
        if not ids:
            return {}
        groups = self.env["points.withdrawal"].sudo()._read_group(
            [("wallet_id", "in", ids), ("state", "=", "requested")], ["wallet_id"], ["amount:sum"])
        return {wallet.id: money_half_up(to_decimal(amount or 0)) for wallet, amount in groups}

    def _available_cash_now(self):
        """Open withdrawal requests hold their amount until they are paid, rejected or cancelled."""
        return super()._available_cash_now() - self._requested_by_wallet().get(self.id, Decimal(0))

    # -- actions -------------------------------------------------------------------
    def action_request_withdrawal(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "points.withdrawal.request.wizard", "view_mode": "form",
            "target": "new", "name": _("Request Withdrawal"), "context": {"default_wallet_id": self.id},
        }

    def action_transfer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "points.transfer.wizard", "view_mode": "form",
            "target": "new", "name": _("Transfer"),
            "context": {"default_sender_id": self.partner_id.id, "default_company_id": self.company_id.id},
        }

    def action_open_withdrawals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_withdrawal.points_withdrawal_action")
        action.update(domain=[("wallet_id", "=", self.id)], context={"default_wallet_id": self.id})
        return action
