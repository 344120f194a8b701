from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    points_payment = fields.Boolean(
        string="Pay with Points",
        help="The customer's appreciating points pay this amount, at the price of the moment the order is "
             "validated. A customer account method: no journal, the customer is required; the points post "
             "against the customer's receivable, which the session's closing entry debits.")

    # -- paying with a member balance (points here; other modules add theirs) ------------------------------
    @api.model
    def _member_balance_flags(self):
        """Boolean fields that make a method pay with a balance the member holds in the pool (hook).

        Such a method is a customer account method: no journal, the customer identified, one balance per method.
        """
        return ["points_payment"]

    def _member_balance_error(self, flag):
        """The refusal of a method paying with the balance ``flag`` that is not a customer account method."""
        return _("The Points payment method %s must have no journal and identify the customer.", self.name)

    @api.constrains(lambda self: ["journal_id", "split_transactions", *self._member_balance_flags()])
    def _check_member_balance_payment(self):
        flags = self._member_balance_flags()
        for method in self:
            used = [flag for flag in flags if method[flag]]
            if used and (method.journal_id or not method.split_transactions or len(used) > 1):
                raise ValidationError(method._member_balance_error(used[-1]))

    @api.onchange("points_payment")
    def _onchange_member_balance_payment(self):
        """A method paying with a member balance needs no journal and the customer; it pays with one balance
        (the last of :meth:`_member_balance_flags` set)."""
        used = [flag for flag in self._member_balance_flags() if self[flag]]
        if used:
            self.journal_id = False
            self.split_transactions = True
            for flag in used[:-1]:
                self[flag] = False

    @api.model
    def _load_pos_data_fields(self, config_id):
        return super()._load_pos_data_fields(config_id) + self._member_balance_flags()

    # -- demo ---------------------------------------------------------------------------
    def _demo_add_to_shops(self):
        """Offers the demo Points method in the company's shops that have no open session."""
        configs = self.env["pos.config"].search([("company_id", "in", self.company_id.ids)])
        for config in configs.filtered(lambda c: not c.current_session_id):
            config.payment_method_ids |= self
