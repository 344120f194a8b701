from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PAGE_SIZE = 20


class RebatePortal(CustomerPortal):
    """My rebate queue (/my/rebates): the member's own queued rebates, their place and expected release."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "rebate_count" in counters:
            Entry = request.env["points.rebate.entry"]
            values["rebate_count"] = Entry.search_count(self._rebate_domain()) if Entry.has_access("read") else 0
        return values

    def _rebate_domain(self):
        # The record rules restrict portal users to their own entries; the domain says so for everyone else too.
        return [("partner_id", "=", request.env.user.partner_id.id)]

    @http.route(["/my/rebates", "/my/rebates/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_rebates(self, page=1, **kwargs):
        Entry = request.env["points.rebate.entry"]
        domain = self._rebate_domain()
        pager = portal_pager(url="/my/rebates", total=Entry.search_count(domain), page=page, step=PAGE_SIZE)
        entries = Entry.search(domain, order="state, paid_at desc, id desc", limit=PAGE_SIZE, offset=pager["offset"])
        pool = request.env["points.pool"].sudo()._get_for_company(request.env.company)
        values = self._prepare_portal_layout_values()
        values.update({
            "entries": entries, "pager": pager, "page_name": "rebates", "default_url": "/my/rebates",
            "queued_total": sum(entries.filtered(lambda entry: entry.state == "queued").mapped("remaining")),
            "currency": pool.currency_id,
        })
        return request.render("points_rebate.portal_my_rebates", values)
