from odoo.tests import Form, tagged

from .common import WalletServiceCase


@tagged("post_install", "-at_install")
class TestWalletServiceForms(WalletServiceCase):
    def test_staff_request_a_withdrawal_from_the_wallet_form(self):
        wallet = self.wallet(self.member1)
        action = wallet.action_request_withdrawal()
        wizard_form = Form(self.env[action["res_model"]].with_context(action["context"]))
        self.assertEqual(wizard_form.available_cash, 161.50)
        wizard_form.amount = 100
        self.assertEqual((wizard_form.fee_amount, wizard_form.net_amount), (2.0, 98.0))
        result = wizard_form.save().action_confirm()
        withdrawal = self.env["points.withdrawal"].browse(result["res_id"])
        self.assertEqual((withdrawal.partner_id, withdrawal.amount, withdrawal.state),
                         (self.member1, 100.0, "requested"))
        self.assertEqual(wallet.withdrawal_count, 1)

    def test_manager_rejects_through_the_wizard(self):
        withdrawal = self.request(self.member1, 100)
        action = withdrawal.with_user(self.manager).action_open_reject_wizard()
        wizard_form = Form(self.env[action["res_model"]].with_user(self.manager).with_context(action["context"]))
        wizard_form.reason = "Name does not match the bank account"
        wizard_form.save().action_confirm()
        self.assertEqual((withdrawal.state, withdrawal.reject_reason),
                         ("rejected", "Name does not match the bank account"))
        self.assertIn("Name does not match", withdrawal.message_ids[0].body)

    def test_staff_transfer_through_the_wizard(self):
        self.pool.transfer_enabled = True
        action = self.wallet(self.member2).action_transfer()
        wizard_form = Form(self.env["points.transfer.wizard"].with_context(action["context"]))
        self.assertEqual(wizard_form.sender_id, self.member2)
        wizard_form.recipient_id = self.member3
        wizard_form.kind = "points"
        wizard_form.points = 12.5
        result = wizard_form.save().action_confirm()
        transfer = self.env["points.transfer"].browse(result["res_id"])
        self.assertEqual((transfer.kind, transfer.points, transfer.recipient_id), ("points", 12.5, self.member3))
        self.assertNoBreach()

    def test_settings_edit_the_pool_and_are_tracked(self):
        settings = Form(self.env["res.config.settings"])
        settings.points_withdrawal_min_amount = 20
        settings.points_withdrawal_fee_rate = 0.05
        settings.points_withdrawal_daily_limit = 1000
        settings.points_withdrawal_journal_id = self.bank_journal
        settings.points_transfer_enabled = True
        settings.points_transfer_max_cash = 300
        settings.points_transfer_max_points = 50
        settings.save().execute()
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written before the commit
        self.assertEqual(
            (self.pool.withdrawal_min_amount, self.pool.withdrawal_fee_rate, self.pool.withdrawal_daily_limit,
             self.pool.withdrawal_journal_id, self.pool.transfer_enabled, self.pool.transfer_max_cash,
             self.pool.transfer_max_points),
            (20.0, 0.05, 1000.0, self.bank_journal, True, 300.0, 50.0))
        self.assertTrue(self.pool.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "withdrawal_fee_rate"))
