def _post_init_rebate_accounts(env):
    """Existing pools get the rebate pool liability and rebate contribution accounts."""
    env["points.pool"].sudo().search([])._ensure_accounting()
