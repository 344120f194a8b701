from odoo.addons.points_pool.tests.common import PointsCase


class ReportCase(PointsCase):
    """PointsCase with a helper rendering the reports."""

    def render_html(self, report_xmlid, records, data=None):
        """The report's HTML for ``records``, rendered as the user of their environment."""
        html, _kind = records.env["ir.actions.report"]._render_qweb_html(report_xmlid, records.ids, data=data)
        return html.decode()
