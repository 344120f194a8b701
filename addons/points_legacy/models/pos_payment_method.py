from odoo import _, api, fields, models


class PosPaymentMethod(models.Model):
    """The consumption balance of legacy members as one more member balance a POS method pays with."""

    _inherit = "pos.payment.method"

    points_legacy_payment = fields.Boolean(
        string="Pay with Consumption Balance",
        help="A legacy member's consumption balance (what the former platform owed them) pays this amount. A "
             "customer account method: no journal, the customer is required; the balance posts against the "
             "customer's receivable, which the session's closing entry debits. It never pays out money.")

    @api.model
    def _member_balance_flags(self):
        return super()._member_balance_flags() + ["points_legacy_payment"]

    def _member_balance_error(self, flag):
        if flag != "points_legacy_payment":
            return super()._member_balance_error(flag)
        return _("The consumption balance payment method %s must have no journal, identify the customer and "
                 "not pay with points.", self.name)

    @api.onchange("points_payment", "points_legacy_payment")
    def _onchange_member_balance_payment(self):
        return super()._onchange_member_balance_payment()
