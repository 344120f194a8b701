def _post_init_referral_tree(env):
    """Existing partners become roots of the referral tree; those who are members (a wallet) get a code."""
    env["res.partner"].with_context(active_test=False).search([])._referral_init_nodes()
    env["points.wallet"].sudo().search([]).partner_id._referral_ensure_code()
