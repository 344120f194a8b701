from odoo import _, api, fields, models
from odoo.exceptions import UserError


class PointsWithdrawalPaymentWizard(models.TransientModel):
    """A Points Manager pays approved withdrawal requests at once: one reconciled outbound payment each."""

    _name = "points.withdrawal.payment.wizard"
    _description = "Pay Withdrawals"
    _check_company_auto = True

    withdrawal_ids = fields.Many2many("points.withdrawal", required=True, string="Withdrawals")
    company_id = fields.Many2one("res.company", compute="_compute_company_id")
    currency_id = fields.Many2one("res.currency", compute="_compute_company_id")
    count = fields.Integer("Requests", compute="_compute_totals")
    total_net = fields.Monetary("Net to Pay", compute="_compute_totals")
    journal_id = fields.Many2one(
        "account.journal", "Journal", required=True, check_company=True,
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
        compute="_compute_journal_id", store=True, readonly=False)
    payment_method_line_id = fields.Many2one(
        "account.payment.method.line", "Payment Method",
        domain="[('journal_id', '=', journal_id), ('payment_type', '=', 'outbound')]",
        compute="_compute_payment_method_line_id", store=True, readonly=False)
    payment_date = fields.Date("Payment Date", required=True, default=fields.Date.context_today)
    reference = fields.Char(help="Reference of the payment run, e.g. the bank's batch number; on every payment.")

    @api.depends("withdrawal_ids")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.withdrawal_ids.company_id[:1] or self.env.company
            wizard.currency_id = wizard.withdrawal_ids.currency_id[:1] or wizard.company_id.currency_id

    @api.depends("withdrawal_ids")
    def _compute_totals(self):
        for wizard in self:
            wizard.count = len(wizard.withdrawal_ids)
            wizard.total_net = sum(wizard.withdrawal_ids.mapped("net_amount"))

    @api.depends("company_id")
    def _compute_journal_id(self):
        for wizard in self:
            pool = wizard.withdrawal_ids.pool_id[:1]
            wizard.journal_id = pool.sudo().withdrawal_journal_id if pool else False

    @api.depends("journal_id")
    def _compute_payment_method_line_id(self):
        for wizard in self:
            wizard.payment_method_line_id = wizard.journal_id.outbound_payment_method_line_ids[:1]

    def action_pay(self):
        self.ensure_one()
        withdrawals = self.withdrawal_ids
        if len(withdrawals.company_id) > 1:
            raise UserError(_("Pay the withdrawals of one company at a time."))
        closed = withdrawals.filtered(lambda withdrawal: withdrawal.state != "requested")
        if closed:
            raise UserError(_("Only requests waiting for payment can be paid: %s.",
                              ", ".join(closed.mapped("name"))))
        method_line = self.payment_method_line_id or self.journal_id.outbound_payment_method_line_ids[:1]
        if method_line.journal_id != self.journal_id:
            raise UserError(_("Choose a payment method of the journal %s.", self.journal_id.display_name))
        withdrawals._approve_and_pay(journal=self.journal_id, method_line=method_line,
                                     date=self.payment_date, reference=(self.reference or "").strip() or None)
        return {"type": "ir.actions.act_window_close"}
