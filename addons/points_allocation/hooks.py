def _post_init_default_plans(env):
    """Every company gets a standard plan (30% of the price to the pool) as its default."""
    for company in env["res.company"].search([]):
        env["points.allocation.plan"]._get_company_default(company)
