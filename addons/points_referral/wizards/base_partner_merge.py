from odoo import _, models
from odoo.exceptions import UserError


class MergePartnerAutomatic(models.TransientModel):
    """Merging contacts keeps the referral tree and the referral codes sound."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        # The tree's materialized paths hold partner ids: a merged-away member may not have a referrer or referees.
        placed = src_partners.filtered(lambda partner: partner.referrer_id or partner.referee_ids)
        if placed:
            raise UserError(_("%s have a referrer or referees: merge the other contacts into them instead.",
                              ", ".join(placed.mapped("display_name"))))
        super()._update_foreign_keys(src_partners, dst_partner)

    def _update_values(self, src_partners, dst_partner):
        # Codes are unique: the merged member keeps theirs, or takes a source's (links already shared keep working).
        code = not dst_partner.referral_code and src_partners.filtered("referral_code")[:1].referral_code
        src_partners.with_context(points_referral_internal=True).write({"referral_code": False})
        src_partners.flush_recordset(["referral_code"])  # one UPDATE giving and taking a code breaks uniqueness
        super()._update_values(src_partners, dst_partner)
        if code:
            dst_partner.with_context(points_referral_internal=True).write({"referral_code": code})
