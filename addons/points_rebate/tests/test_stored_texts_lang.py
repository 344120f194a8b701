from odoo.tests import tagged

from .common import RebateCase


@tagged("post_install", "-at_install")
class TestRebateMemoLanguage(RebateCase):
    """Memos the daily job stores on pool requests read in the staff's language, not the job user's."""

    def test_static_release_memo_is_in_the_company_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.company.partner_id.lang = "zh_CN"
        pool = self.pool.with_context(lang="en_US")
        request = pool._rebate_release_due()
        self.assertTrue(request.memo)
        self.assertNotIn("Static rebate release", request.memo)
        self.assertIn("静态释放", request.memo)
