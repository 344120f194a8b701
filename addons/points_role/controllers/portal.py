from odoo import http
from odoo.http import request

from odoo.addons.points_portal.controllers.portal import PAGE_SIZE, PointsPortal
from odoo.addons.points_portal.models import points_input
from odoo.addons.portal.controllers.portal import pager as portal_pager

#: Rewards an agent or a service point earns from the orders of its territory or its pickups.
ROLE_REWARD_TYPES = ("regional", "service_point")


class PointsRolePortal(PointsPortal):
    """/my/points/territory: an agent's or service point's orders and earnings (404 for other members)."""

    @http.route(["/my/points/territory", "/my/points/territory/page/<int:page>"], type="http", auth="user",
                website=True, points_params=("page",))
    def portal_my_points_territory(self, page=1, **kwargs):
        service = request.env["points.member.service"]
        pool = service._pool()
        partner = request.env.user.partner_id.commercial_partner_id
        agencies = request.env["points.agent"].sudo().search(
            [("partner_id", "=", partner.id), ("company_id", "=", pool.company_id.id)])
        service_point = partner.sudo().points_is_service_point
        if not agencies and not service_point:
            raise request.not_found()
        page = points_input.parse_page_number(page, PAGE_SIZE)
        # The member's own rewards, read with the member's rights (the portal rule: own rewards only).
        Reward = request.env["points.reward"]
        domain = [("partner_id", "=", partner.id), ("company_id", "=", pool.company_id.id),
                  ("rule_type", "in", ROLE_REWARD_TYPES)]
        total = Reward.search_count(domain)
        pager = portal_pager(url="/my/points/territory", total=total, page=page, step=PAGE_SIZE)
        rewards = Reward.search(domain, limit=PAGE_SIZE, offset=pager["offset"])
        [(earned,)] = Reward._read_group(domain, aggregates=["net_amount:sum"])
        earned = earned or 0.0
        orders = {reward: reward.sudo()._source_order() for reward in rewards}
        values = self._points_values(
            "points_territory", agencies=agencies, service_point=service_point, rewards=rewards,
            orders={reward: order.name if order else "" for reward, order in orders.items()},
            earned=earned, pager=pager)
        return request.render("points_role.portal_my_points_territory", values)
