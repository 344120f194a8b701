from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ReferralCase


@tagged("post_install", "-at_install")
class TestPartnerMerge(ReferralCase):
    """Odoo's contact merge keeps the referral tree and the referral codes sound."""

    def merge(self, partners, destination):
        self.env["base.partner.merge.automatic.wizard"].create({})._merge(partners.ids, destination)

    def test_a_merged_away_member_gives_their_code_to_the_contact_they_merge_into(self):
        member = self.make_members(1)
        member._referral_ensure_code()
        code = member.referral_code
        contact = self.env["res.partner"].create({"name": "Same person, other contact"})
        self.merge(member | contact, contact)
        self.assertFalse(member.exists())
        self.assertEqual(contact.referral_code, code)
        self.assertEqual(self.env["res.partner"]._find_by_referral_code(code, self.company), contact)

    def test_a_member_with_a_place_in_the_tree_cannot_be_merged_away(self):
        top, referee = self.make_chain(2)
        contact = self.env["res.partner"].create({"name": "Other contact"})
        for placed in (top, referee):
            with self.assertRaisesRegex(UserError, "have a referrer or referees"):
                self.merge(placed | contact, contact)
        self.assertEqual(referee.referrer_id, top)
        self.merge(contact | top, top)
        self.assertFalse(contact.exists())
        self.assertEqual(referee._referral_path()[-2:], [top.id, referee.id])
