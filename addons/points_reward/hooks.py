def _post_init_reward_accounts(env):
    """Existing pools get the reward expense, frozen-reward and dividend-pool accounts."""
    env["points.pool"].sudo().search([])._ensure_accounting()
