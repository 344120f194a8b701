def _post_init_legacy_accounts(env):
    """Existing pools get the legacy member payables account."""
    env["points.pool"].sudo().search([])._ensure_accounting()
