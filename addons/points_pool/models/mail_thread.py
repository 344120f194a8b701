from odoo import models


class MailThread(models.AbstractModel):
    """Chatter lines of the suite's records are stored in the language of the staff who read them.

    A chatter line is stored text: written in the language of whoever happened to act (a member
    on the portal, a cashier, the pool's queue job), it would read in that language for every
    approver. The suite writes them in the company's language (its partner's language, the
    language of the back office), like the journal entries it posts.
    """

    _inherit = "mail.thread"

    def _points_staff_lang(self):
        """The language chatter lines and activities of these records are written in by default."""
        company = self[:1].company_id if "company_id" in self._fields and self[:1].company_id else self.env.company
        return company.partner_id.lang or self.env.lang or "en_US"

    def _points_in_staff_lang(self):
        """The records in their staff's language: ``_()`` and ``env._()`` evaluated on them translate to it."""
        return self.with_context(lang=self._points_staff_lang())

    def _creation_message(self):
        # "<document> created": in the staff's language, not the creator's ("Withdrawal Request 创建").
        if self._name.startswith("points.") and self.env.lang != self._points_staff_lang():
            return super(MailThread, self._points_in_staff_lang())._creation_message()
        return super()._creation_message()
