from odoo.tests import HttpCase, new_test_user, tagged

from .common import WalletServiceCase


@tagged("post_install", "-at_install")
class TestWithdrawalTours(HttpCase, WalletServiceCase):
    def test_tier_approval_and_batch_payment_in_the_back_office(self):
        admin = self.env.ref("base.user_admin")
        admin.write({"company_ids": [(4, self.company.id)], "company_id": self.company.id})
        self.pool.write({"withdrawal_journal_id": self.bank_journal.id})
        big, small = self.env["res.partner"].create([{"name": "Tour Big Member"}, {"name": "Tour Small Member"}])
        self.pool.contribute(big, 100000, 30000)
        self.pool.sell(big, 3000)
        self.pool.contribute(small, 1000, 300)
        self.pool.sell(small, 50)
        card = self.env["points.payee"]._add_for(big, {
            "method": "bank_card", "account": "6222021234567890", "holder_name": "Big", "bank_name": "ICBC",
            "bank_branch": "Pudong"}, company=self.company)
        large = self.request(big, 6000, payee=card)
        modest = self.request(small, 50)
        first_level = new_test_user(
            self.env, "wd_tour_manager", groups="base.group_user,points_pool.group_points_manager",
            company_id=self.company.id, company_ids=[self.company.id])
        large.with_user(first_level).validate_tier()
        modest.with_user(first_level).validate_tier()
        self.assertEqual((large.validation_status, modest.validation_status), ("pending", "validated"))

        self.start_tour("/odoo/action-points_withdrawal.points_withdrawal_action",
                        "points_withdrawal_tier_batch_tour", login="admin")

        for withdrawal in large | modest:
            self.assertEqual(withdrawal.state, "paid")
            payment = withdrawal.payment_id
            self.assertEqual(payment.journal_id, self.bank_journal)
            self.assertIn("TOUR-BATCH-1", payment.memo)
            self.assertTrue(payment.move_id.line_ids.filtered(
                lambda line: line.account_id == self.pool.wallet_account_id).reconciled)
        self.assertNotEqual(large.payment_id, modest.payment_id)
        self.assertEqual(large.review_ids.mapped("status"), ["approved", "approved"])
