from odoo.tests import Form, new_test_user, tagged

from .common import PointsCase


@tagged("post_install", "-at_install")
class TestSettingsAndWizards(PointsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "points_manager", groups="base.group_user,points_pool.group_points_manager",
                                    company_id=cls.company.id, company_ids=[cls.company.id])

    def test_settings_change_pool_parameters_with_tracking(self):
        # Other apps' settings (POS…) need their own groups: fill the Settings page as the superuser.
        env = self.env(context=dict(self.env.context, allowed_company_ids=self.company.ids))
        settings = Form(env["res.config.settings"])
        settings.points_mint_ratio = 0.6
        settings.points_sell_fee_rate = 0.25
        settings.points_exit_multiple = 2.5
        settings.save().execute()
        # Tracking messages are written when the transaction commits.
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        self.assertEqual((self.pool.mint_ratio, self.pool.sell_fee_rate, self.pool.exit_multiple), (0.6, 0.25, 2.5))
        tracked = self.pool.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("mint_ratio", tracked)
        self.assertIn("exit_multiple", tracked)

    def test_sell_wizard_previews_and_sells(self):
        self.contribute_golden()
        wizard = Form(self.env["points.sell.wizard"].with_context(default_wallet_id=self.wallet(self.member1).id))
        wizard.points = 100
        self.assertEqual(wizard.payout, 161.50)
        wizard.save().action_sell()
        self.assertEqual(self.wallet(self.member1).cash_balance, 161.50)

    def test_inject_wizard_for_managers(self):
        self.contribute_golden(1)
        env = self.env(user=self.manager, context={"allowed_company_ids": self.company.ids})
        wizard = Form(env["points.inject.wizard"])
        self.assertEqual(wizard.account_id, self.pool.injection_account_id)
        wizard.amount = 100
        wizard.memo = "Launch subsidy"
        wizard.save().action_inject()
        self.assertEqual(self.pool.balance, 400.0)

    def test_integrity_action_opens_a_clean_report(self):
        self.contribute_golden()
        action = self.pool.action_check_integrity()
        check = self.env["points.integrity.check"].browse(action["res_id"])
        self.assertTrue(check.checked_at)
        self.assertFalse(check.issue_ids)
