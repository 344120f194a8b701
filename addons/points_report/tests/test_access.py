from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AccessCase

RECONCILIATION = "points_report.report_pool_reconciliation"
STATEMENT = "points_report.report_member_statement"


@tagged("post_install", "-at_install")
class TestAccess(AccessCase):
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
