from datetime import date

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import RoleSaleCase


@tagged("post_install", "-at_install")
class TestRoleTerms(RoleSaleCase):
    """Agencies end with their term: the job reminds before and deactivates after."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.responsible = new_test_user(cls.env, "agency_desk", groups="base.group_user,points_pool.group_points_user",
                                        company_id=cls.company.id, lang="en_US")
        cls.company.write({"points_role_reminder_days": 30, "points_role_user_id": cls.responsible.id})
        with freeze_time("2026-03-02"):
            cls.paid(cls.xihu_agency)
        cls.grant = cls.env["points.role.grant"].search([("partner_id", "=", cls.buyer.id)])

    def job(self, day):
        with freeze_time(day):
            self.env["points.role.grant"]._cron_role_terms()
        self.env.invalidate_all()

    def notices(self):
        return self.env["mail.message"].search([("model", "=", self.grant._name), ("res_id", "=", self.grant.id),
                                                ("partner_ids", "in", self.buyer.ids)])

    def test_the_agent_and_the_responsible_are_told_30_days_before_the_end_once(self):
        self.job("2027-01-30")
        self.assertFalse(self.grant.activity_ids)
        self.job("2027-01-31")
        activity = self.grant.activity_ids
        self.assertEqual((activity.user_id, activity.date_deadline), (self.responsible, date(2027, 3, 2)))
        self.assertIn("Xihu District", activity.summary)
        self.assertEqual(len(self.notices()), 1)
        self.assertIn("ends on", self.notices().body)
        self.job("2027-02-02")
        self.assertEqual((len(self.grant.activity_ids), len(self.notices())), (1, 1))

    def test_the_agency_is_deactivated_on_its_last_day_and_the_territory_can_be_sold_again(self):
        self.job("2027-03-01")
        self.assertTrue(self.agency_of(self.xihu))
        self.job("2027-03-02")
        self.assertFalse(self.agency_of(self.xihu))
        self.assertEqual(self.grant.state, "expired")
        with freeze_time("2027-03-03"):
            self.paid(self.xihu_agency, partner=self.rival)
        self.assertEqual(self.agency_of(self.xihu).partner_id, self.rival)

    def test_a_renewal_postpones_the_reminder_and_the_end(self):
        with freeze_time("2027-01-15"):
            self.paid(self.xihu_agency)
        self.job("2027-03-02")
        self.assertFalse(self.grant.activity_ids)
        self.assertEqual(self.agency_of(self.xihu).date_end, date(2028, 3, 2))
        self.assertEqual(self.grant.state, "expired", "the first term is over, the renewal runs")

    def test_each_reader_gets_the_reminder_in_their_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["points_role"], ["zh_CN"])
        self.responsible.lang = "zh_CN"
        self.buyer.lang = "en_US"
        self.job("2027-01-31")
        self.assertIn("请联系续约", self.grant.activity_ids.summary)
        self.assertIn("Buy it again", str(self.notices().body))
