from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ReportCase

RECONCILIATION = "points_report.report_pool_reconciliation"
STATEMENT = "points_report.report_member_statement"


@tagged("post_install", "-at_install")
class TestAccess(ReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for n, member in enumerate(cls.members[:2], start=1):
            cls.pool.contribute(member, 1000, 300, source=cls.env["res.partner.category"].create({"name": f"O{n}"}))
        cls.company_b = cls.env["res.company"].create({"name": "Report Company B"})
        cls.points_user = new_test_user(
            cls.env, "report_points_user", groups="base.group_user,points_pool.group_points_user",
            company_id=cls.company.id, company_ids=[cls.company.id])
        cls.manager_b = new_test_user(
            cls.env, "report_manager_b", groups="base.group_user,points_pool.group_points_manager",
            company_id=cls.company_b.id, company_ids=[cls.company_b.id])
        cls.employee = new_test_user(cls.env, "report_employee", groups="base.group_user",
                                     company_id=cls.company.id, company_ids=[cls.company.id])
        cls.wallet1 = cls.env["points.wallet"]._get_for_partner(cls.member1, cls.company)

    def as_user(self, user):
        return self.env(user=user, context={"allowed_company_ids": user.company_ids.ids})

    def test_points_user_prints_the_reports_of_the_company(self):
        env = self.as_user(self.points_user)
        self.render_html(RECONCILIATION, self.pool.with_env(env))
        self.render_html(STATEMENT, self.wallet1.with_env(env))

    def test_other_company_prints_nothing(self):
        env = self.as_user(self.manager_b)
        with self.assertRaises(AccessError):
            self.render_html(RECONCILIATION, self.pool.with_env(env))
        with self.assertRaises(AccessError):
            self.render_html(STATEMENT, self.wallet1.with_env(env))

    def test_employee_without_points_group_prints_nothing(self):
        env = self.as_user(self.employee)
        with self.assertRaises(AccessError):
            self.render_html(RECONCILIATION, self.pool.with_env(env))
