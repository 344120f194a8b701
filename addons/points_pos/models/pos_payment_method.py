from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    points_payment = fields.Boolean(
        string="Pay with Points",
        help="The customer's appreciating points pay this amount, at the price of the moment the order is "
             "validated. A customer account method: no journal, the customer is required; the points post "
             "against the customer's receivable, which the session's closing entry debits.")

    @api.constrains("points_payment", "journal_id", "split_transactions")
    def _check_points_payment(self):
        for method in self.filtered("points_payment"):
            if method.journal_id or not method.split_transactions:
                raise ValidationError(_(
                    "The Points payment method %s must have no journal and identify the customer.", method.name))

    @api.onchange("points_payment")
    def _onchange_points_payment(self):
        if self.points_payment:
            self.journal_id = False
            self.split_transactions = True

    @api.model
    def _load_pos_data_fields(self, config_id):
        return super()._load_pos_data_fields(config_id) + ["points_payment"]

    # -- demo ---------------------------------------------------------------------------
    def _demo_add_to_shops(self):
        """Offers the demo Points method in the company's shops that have no open session."""
        configs = self.env["pos.config"].search([("company_id", "in", self.company_id.ids)])
        for config in configs.filtered(lambda c: not c.current_session_id):
            config.payment_method_ids |= self
