from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class SaleOrder(models.Model):
    """Binding by the first order (SPEC §5): the order names who referred its customer.

    The binding itself happens when the order's first line is paid (points_referral's
    allocation hook), under the binding rules of the settings; a refused binding is noted
    in the order's chatter and never blocks the payment.
    """

    _inherit = "sale.order"

    points_referrer_id = fields.Many2one(
        "res.partner", string="Referred By", tracking=True, copy=False,
        compute="_compute_points_referrer_id", store=True, readonly=False, precompute=True,
        help="Member who referred the customer. If the customer has no referrer yet, the first paid order binds "
             "them to this member.")
    points_referral_code = fields.Char(
        "Referral Code", store=False,
        help="Type the referrer's referral code to fill in Referred By.")
    points_customer_bound = fields.Boolean(compute="_compute_points_customer_bound")

    def _points_referrer(self):
        return self.points_referrer_id

    @api.depends("partner_id")
    def _compute_points_referrer_id(self):
        for order in self:
            customer = order.partner_id.commercial_partner_id
            if customer.referrer_id or not order.points_referrer_id:
                order.points_referrer_id = customer.referrer_id

    @api.depends("partner_id.commercial_partner_id.referrer_id")
    def _compute_points_customer_bound(self):
        for order in self:
            order.points_customer_bound = bool(order.partner_id.commercial_partner_id.referrer_id)

    @api.onchange("points_referral_code")
    def _onchange_points_referral_code(self):
        if not self.points_referral_code:
            return
        referrer = self.env["res.partner"]._find_by_referral_code(self.points_referral_code, company=self.company_id)
        if not referrer:
            raise UserError(_("No member has the referral code %s.", self.points_referral_code))
        self.points_referrer_id = referrer
        self.points_referral_code = False

    @api.constrains("points_referrer_id", "partner_id")
    def _check_points_referrer(self):
        for order in self.filtered("points_referrer_id"):
            customer = order.partner_id.commercial_partner_id
            if customer.referrer_id and order.points_referrer_id != customer.referrer_id:
                continue  # already bound: the order only records who was named, it binds nothing
            try:
                customer._check_referrer_candidate(order.points_referrer_id, company=order.company_id)
            except UserError as error:
                raise ValidationError(error.args[0]) from error
