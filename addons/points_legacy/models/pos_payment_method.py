from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    points_legacy_payment = fields.Boolean(
        string="Pay with Consumption Balance",
        help="A legacy member's consumption balance (what the former platform owed them) pays this amount. A "
             "customer account method: no journal, the customer is required; the balance posts against the "
             "customer's receivable, which the session's closing entry debits. It never pays out money.")

    @api.constrains("points_legacy_payment", "points_payment", "journal_id", "split_transactions")
    def _check_points_legacy_payment(self):
        for method in self.filtered("points_legacy_payment"):
            if method.journal_id or not method.split_transactions or method.points_payment:
                raise ValidationError(_(
                    "The consumption balance payment method %s must have no journal, identify the customer and "
                    "not pay with points.", method.name))

    @api.onchange("points_legacy_payment")
    def _onchange_points_legacy_payment(self):
        if self.points_legacy_payment:
            self.journal_id = False
            self.split_transactions = True
            self.points_payment = False

    @api.model
    def _load_pos_data_fields(self, config_id):
        return super()._load_pos_data_fields(config_id) + ["points_legacy_payment"]
