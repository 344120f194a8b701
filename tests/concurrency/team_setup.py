"""Setup shared by the concurrency tests of buyers below one upline (points_referral, points_chain)."""


def bind_team(env, company, top_id, upline_id, buyer_ids):
    """Binds ``upline_id`` below ``top_id`` and every buyer below ``upline_id`` (staff bindings)."""
    Partner = env["res.partner"]
    upline = Partner.browse(upline_id)
    upline._bind_referrer(Partner.browse(top_id), via="staff", reason="test", company=company)
    for buyer_id in buyer_ids:
        Partner.browse(buyer_id)._bind_referrer(upline, via="staff", reason="test", company=company)


def product_on_plan(env, company, name, price, buckets):
    """A product of ``price`` whose allocation plan takes ``buckets`` ({bucket: % of the price}) of it."""
    plan = env["points.allocation.plan"].create({
        "name": f"{name} plan", "company_id": company.id,
        "line_ids": [(0, 0, {"bucket": bucket, "basis": "price", "value": value}) for bucket, value in buckets.items()]})
    product = env["product.product"].create({"name": name, "list_price": price})
    product.product_tmpl_id.with_company(company).points_plan_id = plan
    return product


def pay_line(env, buyer_id, product_id, company_id, amount, name):
    """A paid line of ``amount`` bought by ``buyer_id``, through the allocation hooks; returns its rows."""
    line = env["res.partner.category"].create({"name": name})
    rows = env["points.allocation"]._allocate(
        line, order=None, partner=env["res.partner"].browse(buyer_id),
        product=env["product.product"].browse(product_id), quantity=1, amount=amount,
        company=env["res.company"].browse(company_id))
    rows._on_paid()
    return rows
