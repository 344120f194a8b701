from odoo import _, api, fields, models
from odoo.tools import SQL


class PointsWallet(models.Model):
    """Money reserved by open withdrawal requests, and what is left to withdraw or transfer."""

    _inherit = "points.wallet"

    withdrawal_ids = fields.One2many("points.withdrawal", "wallet_id")
    reserved_balance = fields.Monetary(
        compute="_compute_reserved_balance", store=True, readonly=True,
        help="Cash set aside by open withdrawal requests: it can be neither requested again nor transferred.")
    available_cash = fields.Monetary(
        compute="_compute_available_cash",
        help="Cash that may be withdrawn or transferred now: the cash balance less reserved money, never below 0. "
             "Frozen rewards are not part of it.")
    withdrawal_count = fields.Integer(compute="_compute_withdrawal_count")
    transfer_enabled = fields.Boolean(related="pool_id.transfer_enabled")

    @api.depends("withdrawal_ids.state", "withdrawal_ids.amount")
    def _compute_reserved_balance(self):
        for wallet in self:
            wallet.reserved_balance = sum(
                wallet.withdrawal_ids.filtered(lambda request: request.state == "requested").mapped("amount"))

    @api.depends("cash_balance", "reserved_balance")
    def _compute_available_cash(self):
        for wallet in self:
            wallet.available_cash = max(
                wallet.currency_id.round(wallet.cash_balance - wallet.reserved_balance) if wallet.currency_id
                else wallet.cash_balance - wallet.reserved_balance, 0.0)

    def _compute_withdrawal_count(self):
        counts = dict(self.env["points.withdrawal"]._read_group(
            [("wallet_id", "in", self.ids)], ["wallet_id"], ["__count"]))
        for wallet in self:
            wallet.withdrawal_count = counts.get(wallet, 0)

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

    # -- locking -------------------------------------------------------------------
    def _lock_rows(self):
        """Locks these wallet rows after the pool lock and reloads them.

        Under Odoo's repeatable-read transactions, a request that waited for the pool lock
        could still read the balances of its older snapshot; locking a wallet row that a
        concurrent transaction changed meanwhile raises a serialization failure instead, and
        the transaction is retried with fresh figures.
        """
        if self:
            self.env.cr.execute(SQL("SELECT id FROM points_wallet WHERE id IN %s ORDER BY id FOR UPDATE",
                                    tuple(self.ids)))
            self.invalidate_recordset()
        return self
