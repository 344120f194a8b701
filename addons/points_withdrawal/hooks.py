def _post_init_withdrawal_accounts(env):
    """Existing pools get the withdrawal fee income account."""
    env["points.pool"].sudo().search([])._ensure_accounting()
