from odoo import _, api, fields, models
from odoo.exceptions import UserError


class PointsInvoicePayMixin(models.AbstractModel):
    """Pays a posted customer invoice with what the customer holds in the pool (points, a legacy balance…).

    The wizards inheriting it call :meth:`_pay_invoice` from their Pay button, say what the customer can pay
    with (``_compute_available_amount``), hand the payment to the pool (``_submit_payment``) and word the
    chatter line (``_paid_message``); the checks, the wait for the pool, the reconciliation of the receivable
    and the chatter line are the same for every one.
    """

    _name = "points.invoice.pay.mixin"
    _description = "Pay an Invoice with a Member Balance"

    invoice_id = fields.Many2one("account.move", required=True, readonly=True)
    partner_id = fields.Many2one(related="invoice_id.commercial_partner_id")
    company_id = fields.Many2one(related="invoice_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    available_amount = fields.Monetary(compute="_compute_available_amount", string="Available")
    amount_residual = fields.Monetary(related="invoice_id.amount_residual", string="Amount Due")
    amount = fields.Monetary("Amount to Pay", compute="_compute_amount", store=True, readonly=False)

    def _compute_available_amount(self):
        """What the customer can pay with (hook)."""
        raise NotImplementedError

    @api.depends("available_amount", "amount_residual")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = min(wizard.available_amount, wizard.amount_residual)

    def _pay_invoice(self):
        """The wizards' Pay button (``action_pay``): the abstract model itself offers no public method."""
        self.ensure_one()
        invoice = self.invoice_id
        invoice.check_access("write")
        if invoice.move_type != "out_invoice" or invoice.state != "posted":
            raise UserError(self._not_payable_message())
        self._check_payer()
        if self.amount <= 0 or self.currency_id.compare_amounts(self.amount, self.amount_residual) > 0:
            raise UserError(_("The amount must be positive and at most the amount due (%s).", self.amount_residual))
        pool, request = self._submit_payment()
        # A single-user back-office step: wait for the pool so that the entry can be reconciled now.
        pool._apply_pending()
        row = request._check_applied().ledger_id
        self._on_paid(request)
        account = self.partner_id.with_company(self.company_id).property_account_receivable_id
        # The payment's journal entry may be shared with the other events of the pool's drain.
        (invoice.line_ids | row.move_id.line_ids).filtered(
            lambda line: line.account_id == account and line.partner_id.commercial_partner_id == self.partner_id
            and not line.reconciled).reconcile()
        staff = invoice._points_in_staff_lang()
        staff.message_post(body=self.with_env(staff.env)._paid_message(row))
        return {"type": "ir.actions.act_window_close"}

    def _not_payable_message(self):
        """The refusal for an invoice that is not a posted customer invoice (hook)."""
        raise NotImplementedError

    def _check_payer(self):
        """Raises UserError when the customer has nothing to pay with (hook)."""

    def _submit_payment(self):
        """Hands the payment of ``self.amount`` to the pool; returns ``(pool, request)`` (hook)."""
        raise NotImplementedError

    def _on_paid(self, request):
        """Called once the pool applied the payment's ``request`` (hook)."""

    def _paid_message(self, row):
        """The chatter line of the invoice for the applied ledger ``row``, in ``self.env``'s language (hook)."""
        raise NotImplementedError
