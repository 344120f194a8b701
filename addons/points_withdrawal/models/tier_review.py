from odoo import fields, models


class TierReview(models.Model):
    """Reminders of a withdrawal's pending review, in the language of whoever reads them.

    OCA's reminder job writes them in its own language: the to-do of a single reviewer is
    written in that reviewer's language, the chatter line for a group in the staff's.
    """

    _inherit = "tier.review"

    def _notify_review_reminder_body(self):
        if self.model != "points.withdrawal":
            return super()._notify_review_reminder_body()
        days = (fields.Datetime.now() - self.create_date).days
        return self.env._("This withdrawal request has waited %s days for its review.", days)

    def _notify_review_reminder(self, record):
        if self.model != "points.withdrawal":
            return super()._notify_review_reminder(record)
        staff = record._points_in_staff_lang()
        return super(TierReview, self.with_env(staff.env))._notify_review_reminder(staff)

    def _schedule_review_reminder_activity(self, record):
        if self.model != "points.withdrawal":
            return super()._schedule_review_reminder_activity(record)
        lang = self.reviewer_ids[:1].lang or record._points_staff_lang()
        reader = record.with_context(lang=lang)
        return super(TierReview, self.with_env(reader.env))._schedule_review_reminder_activity(reader)
