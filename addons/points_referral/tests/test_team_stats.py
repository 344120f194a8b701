from odoo.tests import tagged

from .common import ReferralCase


@tagged("post_install", "-at_install")
class TestTeamStats(ReferralCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.top, cls.mid, cls.buyer = cls.make_chain(3, prefix="Team ")

    def figures(self, partner):
        stat = self.stat(partner)
        return (stat.own_spend, stat.own_order_count, stat.team_volume, stat.team_order_count)

    def test_paid_lines_add_to_the_buyer_and_every_ancestor_once(self):
        order = self.order("Order 1")
        rows = self.pay_line(self.buyer, 1000.0, order=order, name="Line 1")
        rows._on_paid()  # paid again: changes nothing
        self.pay_line(self.buyer, 500.0, order=order, name="Line 2")  # same order: one more line, not one more order
        self.assertEqual(self.figures(self.buyer), (1500.0, 1, 0.0, 0))
        self.assertEqual(self.figures(self.mid), (0.0, 0, 1500.0, 1))
        self.assertEqual(self.figures(self.top), (0.0, 0, 1500.0, 1))
        self.mid.invalidate_recordset()
        self.assertEqual((self.mid.referral_team_volume, self.mid.referral_team_order_count), (1500.0, 1))

    def test_refunds_take_back_their_share(self):
        rows = self.pay_line(self.buyer, 1000.0)
        rows._reverse(0.25, self.order("Credit note"))
        self.assertEqual(self.figures(self.buyer)[0], 750.0)
        self.assertEqual(self.figures(self.top)[2], 750.0)

    def test_a_moved_subtree_takes_its_volume_along(self):
        self.pay_line(self.buyer, 1000.0, name="Buyer line")
        self.pay_line(self.mid, 200.0, name="Mid line")
        other = self.make_members(1, "Other top ")
        self.mid._bind_referrer(other, via="staff", reason="move")
        self.assertEqual(self.figures(self.top)[2:], (0.0, 0))
        self.assertEqual(self.figures(other)[2:], (1200.0, 2))
        self.assertEqual(self.figures(self.mid), (200.0, 1, 1000.0, 1))

    def test_an_order_never_reads_the_downline(self):
        """Counting a paid line for a member with a large team costs the same queries as for one without."""
        lone = self.make_chain(3, prefix="Lone ")[-1]
        self.make_chain(150, top=self.buyer, prefix="Below ")
        self.pay_line(lone, 10.0, name="Warm-up")
        self.pay_line(self.buyer, 10.0, name="Warm-up 2")

        def queries(buyer, name):
            rows = self.env["points.allocation"]._allocate(
                self.order(name), order=None, partner=buyer, product=self.product, quantity=1, amount=100.0,
                company=self.company)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            rows._referral_count_lines()
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(self.buyer, "With team"), queries(lone, "Without team"))
        self.assertEqual(self.figures(self.mid)[2], 110.0)
