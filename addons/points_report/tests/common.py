from odoo.tests import new_test_user

from odoo.addons.points_pool.tests.common import PointsCase


class ReportCase(PointsCase):
    """PointsCase with a helper rendering the reports."""

    def render_html(self, report_xmlid, records, data=None):
        """The report's HTML for ``records``, rendered as the user of their environment."""
        html, _kind = records.env["ir.actions.report"]._render_qweb_html(report_xmlid, records.ids, data=data)
        return html.decode()


class AccessCase(ReportCase):
    """Two members who ordered; a Points User and a Points Manager of the company, a Points Manager of
    another company and an employee without a points group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for n, member in enumerate(cls.members[:2], start=1):
            cls.pool.contribute(member, 1000, 300, source=cls.env["res.partner.category"].create({"name": f"O{n}"}))
        cls.company_b = cls.env["res.company"].create({"name": "Points Company B"})
        own = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.points_user = new_test_user(
            cls.env, "access_points_user", groups="base.group_user,points_pool.group_points_user", **own)
        cls.points_manager = new_test_user(
            cls.env, "access_points_manager", groups="base.group_user,points_pool.group_points_manager", **own)
        cls.manager_b = new_test_user(
            cls.env, "access_manager_b", groups="base.group_user,points_pool.group_points_manager",
            company_id=cls.company_b.id, company_ids=[cls.company_b.id])
        cls.employee = new_test_user(cls.env, "access_employee", groups="base.group_user", **own)
        cls.wallet1 = cls.env["points.wallet"]._get_for_partner(cls.member1, cls.company)

    def as_user(self, user):
        return self.env(user=user, context={"allowed_company_ids": user.company_ids.ids})
