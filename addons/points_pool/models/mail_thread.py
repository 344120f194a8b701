from collections import defaultdict

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

    def _message_track(self, fields_iter, initial_values_dict):
        # Tracked changes store their values' labels ("Requested → Cancelled"): in the staff's language too.
        if not self._name.startswith("points.") or not self:
            return super()._message_track(fields_iter, initial_values_dict)
        by_lang = defaultdict(lambda: self.browse())
        for record in self.exists():
            by_lang[record._points_staff_lang()] |= record
        # The log bodies and authors set for the tracking are read (and dropped) by each call: every group gets them.
        data = self.env.cr.precommit.data
        keys = [f"mail.tracking.message.{self._name}", f"mail.tracking.author.{self._name}"]
        saved = {key: data[key] for key in keys if key in data}
        tracking = {}
        for lang, records in by_lang.items():
            data.update({key: dict(value) for key, value in saved.items()})
            tracking.update(super(MailThread, records.with_context(lang=lang))._message_track(
                fields_iter, initial_values_dict))
        for key in keys:
            data.pop(key, None)
        return tracking
