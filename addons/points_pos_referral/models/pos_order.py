from urllib.parse import unquote

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.points_pos.models.pos_order import PAID_STATES

#: Path of a member's share link (points_referral's controller): the code follows it.
SHARE_PATH = "/points/r/"


class PosOrder(models.Model):
    """Binding by the first order (SPEC §5) at the store counter.

    The cashier scans or types the referrer's code (or the QR of their share link); the
    order's first paid line binds an unbound customer under the binding rules of the
    settings (points_referral's allocation hook). A refused binding never blocks the
    payment: the order keeps the reason, the cashier sees it, the chatter records it.
    """

    _inherit = "pos.order"

    points_referrer_id = fields.Many2one(
        "res.partner", string="Referred By", copy=False, index="btree_not_null",
        help="Member who referred the customer. If the customer has no referrer yet, the first paid order binds "
             "them to this member.")
    points_referral_refusal = fields.Char(
        "Referral Not Bound", readonly=True, copy=False,
        help="Why this order did not bind its customer to the member it names.")

    def _points_referrer(self):
        return self.points_referrer_id

    @api.model
    def _process_order(self, order, existing_order):
        order.pop("points_referral_refusal", None)
        return super()._process_order(order, existing_order)

    def _points_process(self):
        # The binding rules as they stand before the order counts: the reason of a refusal, if any.
        binding = {}
        for order in self:
            customer = order.partner_id.commercial_partner_id
            if (order.points_referrer_id and customer and not customer.referrer_id and not order.points_sync_key
                    and order.state in PAID_STATES):
                binding[order] = (customer, order._points_referral_check(customer, order.points_referrer_id,
                                                                         order.company_id))
        result = super()._points_process()
        for order, (customer, reason) in binding.items():
            if customer.referrer_id == order.points_referrer_id:
                continue
            # Stored on the order and in its chatter: written in the staff's language, not the cashier's.
            staff = order._points_in_staff_lang()
            message = staff.env._("%(buyer)s was not bound to %(referrer)s by this order: %(reason)s",
                                  buyer=customer.display_name, referrer=order.points_referrer_id.display_name,
                                  reason=reason or staff.env._("no line of the order earned points."))
            order.points_referral_refusal = message
            if not reason:  # the allocation hook logged the others
                staff.message_post(body=message)
        return result

    @api.model
    def _points_referral_check(self, customer, referrer, company):
        """Why binding ``customer`` under ``referrer`` by an order of ``company`` would be refused now, or False."""
        try:
            customer = customer.sudo()
            customer._check_referrer_candidate(referrer, company=company)
            customer._check_binding_mode(referrer, "order")
        except UserError as error:
            return error.args[0]
        return False

    @api.model
    def _points_referral_code(self, text):
        """The referral code in what the cashier scanned or typed: a code, or a share link ending in one."""
        text = (text or "").strip()
        if SHARE_PATH in text:
            text = unquote(text.split(SHARE_PATH, 1)[1])
            for separator in "/?#":
                text = text.split(separator, 1)[0]
        return self.env["res.partner"]._normalize_referral_code(text)

    @api.model
    def points_referrer_from_ui(self, config_id, text, partner_id=False):
        """The member a scanned or typed referral code or share link names, as the POS shows them.

        Returns ``{"id", "name"}``; a clear UserError when no member has the code, or when the
        order's customer (``partner_id``) cannot be bound to them by this order.
        """
        self._points_check_pos_user()
        config = self.env["pos.config"].browse(config_id)
        config.check_access("read")
        code = self._points_referral_code(text)
        if not code:
            raise UserError(_("Scan or type the referrer's referral code or share link."))
        referrer = self.env["res.partner"]._find_by_referral_code(code, company=config.company_id)
        if not referrer:
            raise UserError(_("No member has the referral code %s.", code))
        customer = self.env["res.partner"].browse(partner_id or []).exists().commercial_partner_id
        if customer and customer.referrer_id and customer.referrer_id != referrer:
            raise UserError(_("%(customer)s is already referred by %(referrer)s: this order binds nobody.",
                              customer=customer.display_name, referrer=customer.referrer_id.display_name))
        if customer and not customer.referrer_id:
            reason = self._points_referral_check(customer, referrer, config.company_id)
            if reason:
                raise UserError(reason)
        return {"id": referrer.id, "name": referrer.sudo().display_name}
