from odoo.tests import new_test_user, tagged

from .common import WalletServiceCase


class StaffLanguageCase(WalletServiceCase):
    """An English-speaking member or clerk acts; the company's staff and the approver read Chinese."""

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


@tagged("post_install", "-at_install")
class TestStoredTextsLanguage(StaffLanguageCase):
    """Texts stored in records read in their reader's language, not in the language of whoever acted:
    the approval to-do is written in the approver's language, the chatter lines in the company's.
    """

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

    def test_a_cancellation_tracks_the_state_in_chinese(self):
        cancelled = self.english_request(self.member1, 20)
        # Tracked changes are written when the transaction commits (and a record is tracked from its first commit).
        self.env.flush_all()
        self.env.cr.precommit.run()
        cancelled.with_context(lang="en_US").action_cancel()
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        tracked = cancelled.message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == "state")
        self.assertEqual((tracked.old_value_char, tracked.new_value_char), ("已申请", "已撤销"))


@tagged("post_install", "-at_install")
class TestTierValidationTextsLanguage(StaffLanguageCase):
    """OCA tier validation's lines and reminders on a withdrawal read in Chinese when English speakers act."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.senior = new_test_user(
            cls.env, "wd_senior_zh", groups="base.group_user,points_withdrawal.group_points_withdrawal_senior",
            company_id=cls.company.id, company_ids=[cls.company.id], lang="zh_CN", name="Lin Senior")
        # A second Points Manager: the first level is a group of reviewers, reminded in the chatter.
        new_test_user(cls.env, "wd_manager_2", groups="base.group_user,points_pool.group_points_manager",
                      company_id=cls.company.id, company_ids=[cls.company.id])
        cls.first_level = cls.env.ref("points_withdrawal.tier_definition_withdrawal_manager")
        cls.second_level = cls.env.ref("points_withdrawal.tier_definition_withdrawal_senior")
        (cls.first_level | cls.second_level).write({
            "notify_on_create": True, "notify_on_pending": True, "notify_on_accepted": True,
            "notify_on_rejected": True, "notify_on_restarted": True, "company_id": False})
        # The second level has one reviewer: its reminder is a to-do for them.
        cls.second_level.write({"review_type": "individual", "reviewer_id": cls.senior.id, "reviewer_group_id": False})
        # Enough cash for a request over the second level's 5,000.
        cls.pool.contribute(cls.member3, 100000, 30000)
        cls.pool.sell(cls.member3, 3000)

    def assertChinese(self, text):
        self.assertIn("审批", text)
        for english in ("review", "Review", "requested", "accepted", "rejected", "approved", "refused"):
            self.assertNotIn(english, text)

    def test_review_lines_of_english_actors_read_in_chinese(self):
        withdrawal = self.english_request(self.member3, 6000)
        withdrawal.with_user(self.manager).with_context(lang="en_US").validate_tier()
        self.assertEqual(withdrawal.validation_status, "pending")
        tier_subtypes = [self.env.ref(f"base_tier_validation.mt_tier_validation_{kind}")
                         for kind in ("requested", "accepted")]
        lines = withdrawal.message_ids.filtered(lambda message: message.subtype_id in tier_subtypes)
        # Created, first level pending, first level approved, second level pending.
        self.assertGreaterEqual(len(lines), 3)
        for line in lines:
            self.assertChinese(str(line.body))
        self.assertIn(withdrawal.name, self.bodies(withdrawal))

    def test_refusal_and_restart_lines_read_in_chinese(self):
        withdrawal = self.english_request(self.member3, 6000)
        english_senior = withdrawal.with_user(self.senior).with_context(lang="en_US")
        self.assertChinese(english_senior._notify_rejected_review_body())
        self.assertIn(self.senior.name, english_senior._notify_rejected_review_body())
        withdrawal.with_context(lang="en_US").restart_validation()
        restarted = withdrawal.message_ids.filtered(
            lambda message: message.subtype_id == self.env.ref("base_tier_validation.mt_tier_validation_restarted"))
        self.assertEqual(len(restarted), 1)
        self.assertChinese(str(restarted.body))

    def test_reminders_read_in_the_reviewers_language(self):
        (self.first_level | self.second_level).notify_reminder_delay = 1
        withdrawal = self.english_request(self.member3, 6000)
        self.env.flush_all()
        self.env.cr.execute("UPDATE tier_review SET create_date = now() - interval '3 days' WHERE id IN %s",
                            [tuple(withdrawal.review_ids.ids)])
        self.env.invalidate_all()
        self.english["tier.definition"]._cron_send_review_reminder()
        # The group's reminder is a chatter line; the single senior reviewer gets a to-do.
        reminder = self.env.ref("base_tier_validation.mt_tier_validation_reminder")
        line = withdrawal.message_ids.filtered(lambda message: message.subtype_id == reminder)
        self.assertEqual(len(line), 1)
        self.assertIn("3", str(line.body))
        self.assertIn("审批", str(line.body))
        self.assertNotIn("days ago", str(line.body))
        todo = withdrawal.activity_ids.filtered(lambda activity: activity.user_id == self.senior)
        self.assertEqual(todo.activity_type_id, self.env.ref("base_tier_validation.mail_act_tier_validation_reminder"))
        self.assertIn("审批", str(todo.note))
        self.assertNotIn("days ago", str(todo.note))
        self.senior.lang = "en_US"
        self.env.flush_all()
        self.env.cr.execute("UPDATE tier_review SET last_reminder_date = now() - interval '3 days' WHERE id IN %s",
                            [tuple(withdrawal.review_ids.ids)])
        self.env.invalidate_all()
        self.env["tier.definition"].with_context(lang="zh_CN")._cron_send_review_reminder()
        todos = withdrawal.activity_ids.filtered(lambda activity: activity.user_id == self.senior)
        self.assertIn("has waited 3 days", str((todos - todo).note))
