from odoo.tests import new_test_user

from odoo.addons.points_allocation.tests.common import AllocationCase


class ReferralCase(AllocationCase):
    """AllocationCase plus the five ranks of SPEC §5 and helpers to build referral chains."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rank = cls.env["points.rank"]
        cls.vip, cls.leader, cls.partner_rank, cls.cofounder, cls.director = Rank.create([
            {"name": name, "level": level, "company_id": cls.company.id, "auto_upgrade": False}
            for level, name in enumerate(("VIP", "Team Leader", "Partner", "Co-founder", "Director"), start=1)])

    @classmethod
    def make_members(cls, count, prefix="M"):
        """``count`` new members of the test company (each with a wallet, so that they may refer others)."""
        return cls.enroll(cls.env["res.partner"].create([{"name": f"{prefix}{n}"} for n in range(count)]))

    @classmethod
    def enroll(cls, partners, company=None):
        """Makes ``partners`` members of ``company`` (default: the test company): each gets a wallet."""
        for partner in partners:
            cls.env["points.wallet"]._get_for_partner(partner, company or cls.company)
        return partners

    @classmethod
    def make_chain(cls, count, top=None, prefix="C"):
        """``count`` new members, each referred by the one before (the first by ``top``); returns top-down."""
        members = cls.make_members(count, prefix)
        referrer = top
        for member in members:
            if referrer:
                member._bind_referrer(referrer, via="staff", reason="test chain")
            referrer = member
        return members

    @classmethod
    def portal_team(cls, login):
        """A portal member of the test company with a direct and an indirect referee: (user, direct, indirect)."""
        user = new_test_user(cls.env, login, groups="base.group_portal", company_id=cls.company.id,
                             company_ids=[cls.company.id])
        cls.enroll(user.partner_id)
        direct, indirect = cls.make_chain(2, top=user.partner_id, prefix=f"{login} team ")
        return user, direct, indirect

    def pay_line(self, buyer, amount=1000.0, product=None, order=None, name="Line"):
        """A paid order line of ``amount`` through the allocation plans (the package plan by default)."""
        line = self.order(name)
        rows = self.env["points.allocation"]._allocate(
            line, order=order, partner=buyer, product=product or self.product, quantity=1, amount=amount,
            company=self.company)
        rows._on_paid()
        return rows

    def stat(self, partner):
        return self.env["points.team.stat"].search([("partner_id", "=", partner.id),
                                                     ("company_id", "=", self.company.id)])
