from odoo.http import request

from odoo.addons.points_portal.controllers.portal import PointsPortal

from .serializers import legacy


class PointsLegacyPortal(PointsPortal):
    def _points_values(self, page_name, **values):
        # The wallet card of every points page shows a legacy member's balance and what remains owed.
        values.setdefault("legacy_data", legacy(request.env["points.member.service"]._legacy_line()))
        return super()._points_values(page_name, **values)
