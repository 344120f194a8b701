from odoo.tests import tagged

from .common import WalletServiceCase


@tagged("post_install", "-at_install")
class TestStoredTextsLanguage(WalletServiceCase):
    """Texts stored in records read in their reader's language, not in the language of whoever acted.

    An English-speaking member or clerk acts; the company's staff and the approver read Chinese:
    the approval to-do is written in the approver's language, the chatter lines in the company's.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # The model names of the chatter's "<document> created" line come from the loaded translations.
        cls.env["ir.module.module"]._load_module_terms(["points_withdrawal"], ["zh_CN"])
        cls.company.partner_id.lang = "zh_CN"
        cls.manager.lang = "zh_CN"
        cls.english = cls.env(context=dict(cls.env.context, lang="en_US"))

    def english_request(self, partner, amount):
        return self.english["points.withdrawal"]._request(partner, amount, company=self.company)

    def bodies(self, withdrawal):
        return " | ".join(str(message.body) for message in withdrawal.message_ids)

    def test_a_chinese_approver_gets_a_chinese_to_do_from_an_english_request(self):
        withdrawal = self.english_request(self.member1, 100)
        activity = withdrawal.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("审批", activity.summary)
        self.assertNotIn("Approve", activity.summary)
        self.assertIn(self.member1.display_name, activity.summary)

    def test_an_english_approver_gets_an_english_to_do_in_a_chinese_company(self):
        self.manager.lang = "en_US"
        withdrawal = self.env(context=dict(self.env.context, lang="zh_CN"))["points.withdrawal"]._request(
            self.member1, 100, company=self.company)
        self.assertTrue(withdrawal.activity_ids.summary.startswith("Approve the withdrawal of"))

    def test_the_creation_line_is_not_half_english(self):
        withdrawal = self.english_request(self.member1, 100)
        bodies = self.bodies(withdrawal)
        self.assertIn("提现申请", bodies)
        self.assertIn("创建", bodies)
        self.assertNotIn("Withdrawal Request", bodies)
        self.assertNotIn("created", bodies)

    def test_rejection_and_cancellation_lines_read_in_chinese(self):
        rejected = self.english_request(self.member1, 50)
        rejected.with_user(self.manager).with_context(lang="en_US").action_reject("Bank details missing")
        self.assertIn("已由", self.bodies(rejected))
        self.assertNotIn("Rejected by", self.bodies(rejected))
        cancelled = self.english_request(self.member1, 20)
        cancelled.with_context(lang="en_US").action_cancel()
        self.assertIn("撤销", self.bodies(cancelled))
        self.assertNotIn("Cancelled by", self.bodies(cancelled))

    def test_approval_line_reads_in_chinese(self):
        withdrawal = self.english_request(self.member1, 50)
        withdrawal.with_context(lang="en_US").action_approve()
        self.assertEqual(withdrawal.state, "paid")
        self.assertNotIn("Approved by", self.bodies(withdrawal))
        self.assertIn("批准", self.bodies(withdrawal))
