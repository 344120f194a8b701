from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import WalletServiceCase


@tagged("post_install", "-at_install")
class TestPayeesTiersBatch(WalletServiceCase):
    """Payees (masked, the member's own), approval levels by amount, batch payment, paid vs net to pay."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.senior = new_test_user(
            cls.env, "wd_senior", groups="base.group_user,points_withdrawal.group_points_withdrawal_senior",
            company_id=cls.company.id, company_ids=[cls.company.id])
        cls.portal1 = new_test_user(cls.env, "wd_portal1", groups="base.group_portal",
                                    partner_id=cls.member1.id, company_id=cls.company.id)
        cls.portal2 = new_test_user(cls.env, "wd_portal2", groups="base.group_portal",
                                    partner_id=cls.member2.id, company_id=cls.company.id)
        # Big enough for a withdrawal over the second level's 5,000.
        cls.pool.contribute(cls.member3, 100000, 30000)
        cls.pool.sell(cls.member3, 3000)
        cls.pool.sell(cls.member2, 50)
        cls.card = cls.env["points.payee"]._add_for(cls.member1, {
            "method": "bank_card", "account": "6222 0212 3456 7890", "holder_name": "Member One",
            "bank_name": "ICBC", "bank_branch": "Shanghai Pudong"}, company=cls.company)

    def add_payee(self, partner, **values):
        return self.env["points.payee"]._add_for(partner, values, company=self.company)

    # -- payees -------------------------------------------------------------------------------
    def test_payees_are_masked(self):
        self.assertEqual(self.card.account, "6222021234567890")
        self.assertEqual(self.card.display_name, "ICBC **** 7890")
        alipay = self.add_payee(self.member1, method="alipay", account="member.one@163.com", holder_name="M1")
        self.assertEqual(alipay.display_name, "Alipay ***@163.com")
        wechat = self.add_payee(self.member1, method="wechat", account="wxid_member0001", holder_name="M1")
        self.assertEqual((wechat.display_name, wechat.account_masked), ("WeChat Pay **** 0001", "**** 0001"))

    def test_payee_details_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "12 to 19 digits"):
            self.add_payee(self.member1, method="bank_card", account="1234", holder_name="M1", bank_name="ICBC",
                           bank_branch="X")
        with self.assertRaisesRegex(ValidationError, "bank and the branch"):
            self.add_payee(self.member1, method="bank_card", account="6222021234567890", holder_name="M1")

    def test_members_add_and_see_only_their_own_payees(self):
        Payee = self.env["points.payee"]
        own = Payee.with_user(self.portal2)._add_for(self.member2, {
            "method": "alipay", "account": "13800138000", "holder_name": "Member Two"})
        self.assertEqual(own.partner_id, self.member2)
        self.assertEqual(Payee.with_user(self.portal2).search([]), own)
        self.assertEqual(Payee.with_user(self.portal1).search([]), self.card)
        with self.assertRaises(AccessError):
            Payee.with_user(self.portal2)._add_for(self.member1, {
                "method": "alipay", "account": "13800138000", "holder_name": "Not mine"})
        with self.assertRaises(AccessError):
            self.card.with_user(self.portal2)._remove()
        with self.assertRaises(AccessError):
            self.card.with_user(self.portal2).write({"account": "6222021234567891"})
        own.with_user(self.portal2)._remove()
        self.assertFalse(own.active)

    def test_a_request_is_paid_to_the_members_own_payee_only(self):
        other = self.add_payee(self.member2, method="wechat", account="wxid_two", holder_name="Member Two")
        with self.assertRaisesRegex(ValidationError, "own payees"):
            self.request(self.member1, 100, payee=other)
        withdrawal = self.request(self.member1, 100, payee=self.card)
        self.assertEqual(withdrawal.payee_id, self.card)
        self.card._remove()
        with self.assertRaisesRegex(ValidationError, "own payees"):
            self.request(self.member1, 10, payee=self.card)

    # -- tier approval --------------------------------------------------------------------------
    def test_below_the_threshold_one_level_approves(self):
        withdrawal = self.request(self.member1, 100, payee=self.card)
        self.assertEqual(len(withdrawal.review_ids), 1)
        self.assertEqual(withdrawal.validation_status, "pending")
        withdrawal.with_user(self.manager).validate_tier()
        self.assertEqual(withdrawal.validation_status, "validated")
        withdrawal.with_user(self.manager).action_approve()
        self.assertEqual(withdrawal.state, "paid")

    def test_above_the_threshold_two_levels_approve(self):
        withdrawal = self.request(self.member3, 6000)
        self.assertEqual(len(withdrawal.review_ids), 2)
        # The senior approver waits for the Points Manager's level (approval by sequence).
        self.assertFalse(withdrawal.with_user(self.senior).can_review)
        with self.assertRaisesRegex(UserError, "waits for its approval"):
            withdrawal.with_user(self.manager).action_approve()
        withdrawal.with_user(self.manager).validate_tier()
        self.assertEqual(withdrawal.validation_status, "pending")
        self.assertRefused(UserError, "waits for its approval", withdrawal.with_user(self.manager).action_approve)
        self.assertEqual(withdrawal.state, "requested")
        withdrawal.with_user(self.senior).validate_tier()
        self.assertEqual(withdrawal.validation_status, "validated")
        withdrawal.with_user(self.manager).action_approve()
        self.assertEqual((withdrawal.state, withdrawal.paid_amount), ("paid", 5880.0))
        self.assertNoBreach()

    def test_a_rejected_tier_is_not_paid_and_the_request_may_be_rejected(self):
        withdrawal = self.request(self.member3, 6000)
        withdrawal.with_user(self.manager).reject_tier()
        self.assertEqual(withdrawal.validation_status, "rejected")
        self.assertRefused(UserError, "rejected at a tier", withdrawal.with_user(self.manager).action_approve)
        withdrawal.with_user(self.manager).action_reject("Tier refused")
        self.assertEqual(withdrawal.state, "rejected")
        self.assertEqual(self.wallet(self.member3).reserved_balance, 0.0)

    def test_a_request_under_validation_may_be_cancelled(self):
        withdrawal = self.request(self.member1, 100)
        withdrawal.action_cancel()
        self.assertEqual(withdrawal.state, "cancelled")

    # -- batch payment ----------------------------------------------------------------------------
    def test_batch_payment_pays_each_approved_request_with_journal_method_and_reference(self):
        first = self.request(self.member1, 100, payee=self.card)
        second = self.request(self.member2, 50)
        third = self.request(self.member3, 6000)
        for withdrawal in first | second | third:
            withdrawal.with_user(self.manager).validate_tier()
        third.with_user(self.senior).validate_tier()
        requests = first | second | third
        method_line = self.bank_journal.outbound_payment_method_line_ids[:1]
        action = requests.with_user(self.manager).action_open_payment_wizard()
        wizard = self.env["points.withdrawal.payment.wizard"].with_user(self.manager).with_context(
            action["context"]).create({"journal_id": self.bank_journal.id, "payment_method_line_id": method_line.id,
                                       "payment_date": "2026-01-15", "reference": "BATCH-7"})
        self.assertEqual((wizard.count, wizard.total_net), (3, 98.0 + 49.0 + 5880.0))
        wizard.action_pay()
        self.assertEqual(set(requests.mapped("state")), {"paid"})
        payments = requests.payment_id
        self.assertEqual(len(payments), 3)
        for withdrawal in requests:
            payment = withdrawal.payment_id
            self.assertEqual((payment.amount, payment.partner_id, payment.journal_id, payment.payment_method_line_id,
                              str(payment.date), payment.state),
                             (withdrawal.net_amount, withdrawal.partner_id, self.bank_journal, method_line,
                              "2026-01-15", payment.state))
            self.assertIn("BATCH-7", payment.memo)
            self.assertIn(withdrawal.name, payment.memo)
            self.assertEqual(payment.move_id.state, "posted")
            payable = payment.move_id.line_ids.filtered(
                lambda line: line.account_id == self.pool.wallet_account_id)
            self.assertTrue(payable.reconciled)
        self.assertNoBreach()

    def test_batch_payment_refuses_requests_not_approved(self):
        approved = self.request(self.member1, 100)
        approved.with_user(self.manager).validate_tier()
        waiting = self.request(self.member3, 6000)
        waiting.with_user(self.manager).validate_tier()
        wizard = self.env["points.withdrawal.payment.wizard"].with_user(self.manager).create({
            "withdrawal_ids": [(6, 0, (approved | waiting).ids)], "journal_id": self.bank_journal.id})
        self.assertRefused(UserError, "waits for its approval", wizard.action_pay)
        self.assertEqual(approved.state, "requested")
        approved.with_user(self.manager).action_reject("No")
        self.assertRefused(UserError, "waiting for payment", wizard.action_pay)

    # -- labels ---------------------------------------------------------------------------------
    def test_paid_shows_only_what_was_paid_and_a_waiting_request_its_net_to_pay(self):
        withdrawal = self.request(self.member1, 100)
        self.assertEqual((withdrawal.net_amount, withdrawal.paid_amount), (98.0, 0.0))
        self.assertEqual(withdrawal._fields["net_amount"].string, "Net to Pay")
        self.assertEqual(withdrawal._fields["paid_amount"].string, "Amount Paid")
        withdrawal.action_approve()
        self.assertEqual((withdrawal.net_amount, withdrawal.paid_amount), (98.0, 98.0))
        rejected = self.request(self.member1, 20)
        rejected.action_reject("No")
        self.assertEqual(rejected.paid_amount, 0.0)
