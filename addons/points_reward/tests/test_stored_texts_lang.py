from odoo import fields
from odoo.tests import tagged

from .common import RewardCase


@tagged("post_install", "-at_install")
class TestStoredTextsLang(RewardCase):
    """Dividend periods are named in the staff's language (the company's), whoever closes them."""

    def test_a_period_closed_by_an_english_speaker_is_named_in_the_companys_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.company.partner_id.lang = "zh_CN"
        rule = self.rule("dividend", name="Shareholder dividend pool", basis="fixed", value=40,
                         lines=[(self.director, 100)])
        rule.with_context(lang="zh_CN").name = "股东分红池"
        director, buyer = self.make_chain(2, prefix="Lang ")
        director._set_rank(self.director, self.company)
        self.reward_line(buyer, {"dividend": 40.0})
        period = self.env["points.dividend.period"].with_context(lang="en_US")._close(
            rule, fields.Date.to_date("2026-03-31"))
        self.env.flush_all()
        period.invalidate_recordset(["name"])
        self.assertEqual(period.name, "股东分红池 2026-03-31")

    def test_the_depth_acknowledgement_is_logged_in_the_companys_language(self):
        """A Chinese back office reads the acknowledgement in Chinese, even when an English speaker gave it."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.company.partner_id.lang = "zh_CN"
        wizard = self.env["points.depth.limit.wizard"].with_context(lang="en_US").create(
            {"pool_id": self.pool.id, "new_limit": 3, "acknowledged": True})
        self.assertIn("pyramid selling", wizard.warning)
        wizard.action_confirm()
        message = self.pool.message_ids.filtered(lambda m: "3" in (m.body or "") and self.env.user.name in m.body)
        self.assertEqual(len(message), 1)
        self.assertNotIn("acknowledged this warning", message.body)
        self.assertNotIn("pyramid selling", message.body)
        self.assertIn("传销", message.body)
