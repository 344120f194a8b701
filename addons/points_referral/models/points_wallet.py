from odoo import api, models


class PointsWallet(models.Model):
    _inherit = "points.wallet"

    @api.model_create_multi
    def create(self, vals_list):
        """A partner with a wallet is a member: they get their referral code now."""
        wallets = super().create(vals_list)
        wallets.partner_id.sudo()._referral_ensure_code()
        return wallets
