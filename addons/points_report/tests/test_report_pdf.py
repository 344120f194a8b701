from odoo.tests import HttpCase, tagged

from .common import ReportCase


@tagged("post_install", "-at_install")
class TestReportPdf(ReportCase, HttpCase):
    """The PDF reports through wkhtmltopdf, which fetches the report styles from Odoo's HTTP server.

    An HttpCase, so that the server shares the test's cursor (Odoo's runner only; pytest deselects it).
    """

    def test_reconciliation_and_statement_render_as_pdf(self):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed: PDF reports cannot render")
        self.contribute_golden()
        self.pool.sell(self.member1, 100)
        wallet = self.wallet(self.member1)
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        for report, records in (("points_report.points_pool_reconciliation_report", self.pool),
                                ("points_report.points_member_statement_report", wallet)):
            with self.subTest(report=report):
                pdf, kind = Report._render_qweb_pdf(report, records.ids)
                self.assertEqual(kind, "pdf")
                self.assertTrue(pdf.startswith(b"%PDF"))
