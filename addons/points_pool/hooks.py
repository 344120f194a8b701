def _post_init_create_pools(env):
    """Every existing company gets its pool, journal and accounts at install."""
    for company in env["res.company"].search([]):
        env["points.pool"]._get_for_company(company)
