from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..fields import loose_referrer


class ResPartner(models.Model):
    _inherit = "res.partner"

    points_wallet_ids = fields.One2many("points.wallet", "partner_id", string="Points Wallets")
    points_wallet_count = fields.Integer(compute="_compute_points_wallet_count", groups="points_pool.group_points_user")

    def _compute_points_wallet_count(self):
        counts = dict(self.env["points.wallet"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.points_wallet_count = counts.get(partner, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_points_rows(self):
        # The ledger and the pool's requests name members without a foreign key (LooseMany2one).
        referrer = loose_referrer(self)
        if referrer:
            raise UserError(_("Members named by points movements cannot be deleted (%(rows)s name them): "
                              "archive them instead.", rows=self.env["ir.model"].sudo()._get(referrer).name))

    def action_open_points_wallets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_pool.points_wallet_action")
        action["domain"] = [("partner_id", "=", self.id)]
        return action

    # -- membership (one rule for transfers, referral binding, the portal and the API) ---------
    def _points_member_refusal(self, company):
        """Why the partner is not an active member of ``company``'s points programme, or None if they are.

        A member is a person (not a company) who is not the contact of a company of the
        database, is not archived, and holds a wallet in the company's pool that is not blocked.
        A partner becomes a member when their wallet is created (their first points, or
        staff enrolling them); exited members stay members (their next purchase opens a new cycle).
        """
        self.ensure_one()
        partner = self.sudo()
        if not partner.active:
            return _("%s is archived.", partner.display_name)
        if partner.is_company:
            return _("%s is a company, not a person.", partner.display_name)
        if self.env["res.company"].sudo().with_context(active_test=False).search_count(
                [("partner_id", "=", partner.id)], limit=1):
            return _("%s is the contact of a company.", partner.display_name)
        wallet = self.env["points.wallet"].sudo().search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id)], limit=1)
        if not wallet:
            return _("%(partner)s has no points wallet in %(company)s.", partner=partner.display_name,
                     company=company.name)
        if wallet.state == "blocked":
            return _("The wallet of %s is blocked.", partner.display_name)
        return None

    def _is_points_member(self, company=None):
        """True when the partner is an active member of ``company`` (default: the current company)."""
        return not self._points_member_refusal(company or self.env.company)

    def _check_points_member(self, company=None):
        """Raises a UserError saying why the partner is not an active member of ``company``; changes nothing."""
        company = company or self.env.company
        reason = self._points_member_refusal(company)
        if reason:
            raise UserError(_("%(partner)s is not an active member of %(company)s: %(reason)s",
                              partner=self.sudo().display_name, company=company.name, reason=reason))
