from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ReferralCase


@tagged("post_install", "-at_install")
class TestRanks(ReferralCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.top, cls.mid, cls.buyer = cls.make_chain(3, prefix="Rank ")

    def rank(self, partner):
        partner.invalidate_recordset()
        return partner.with_company(self.company).rank_id

    def test_own_spend_upgrades_on_order_payment_with_history(self):
        self.vip.write({"auto_upgrade": True, "min_own_spend": 1500})
        self.pay_line(self.buyer, 1000.0, name="First")
        self.assertFalse(self.rank(self.buyer))
        self.pay_line(self.buyer, 1000.0, name="Second")
        self.assertEqual(self.rank(self.buyer), self.vip)
        history = self.buyer.rank_history_ids
        self.assertEqual((history.old_rank_id, history.new_rank_id, history.trigger, history.change),
                         (self.vip.browse(), self.vip, "order", "up"))

    def test_team_volume_upgrades_the_ancestors_that_cross_it(self):
        self.partner_rank.write({"auto_upgrade": True, "min_team_volume": 1500})
        self.pay_line(self.buyer, 1000.0, name="First")
        self.pay_line(self.mid, 600.0, name="Second")
        self.assertEqual(self.rank(self.top), self.partner_rank)
        self.assertFalse(self.rank(self.mid))

    def test_direct_referees_of_a_rank_cascade_upwards(self):
        self.vip.write({"auto_upgrade": True, "min_own_spend": 100})
        self.leader.write({"auto_upgrade": True, "min_direct_count": 2, "direct_rank_id": self.vip.id})
        second = self.make_chain(1, top=self.mid, prefix="Second ")
        self.pay_line(self.buyer, 100.0, name="Buyer")
        self.assertFalse(self.rank(self.mid))
        self.pay_line(second, 100.0, name="Second")
        self.assertEqual(self.rank(second), self.vip)
        self.assertEqual(self.rank(self.mid), self.leader)

    def test_gift_package_and_any_condition(self):
        package = self.env["product.product"].create({"name": "Partner package", "list_price": 3000})
        self.partner_rank.write({"auto_upgrade": True, "gift_product_ids": [(6, 0, package.ids)],
                                 "min_team_volume": 1_000_000, "condition_mode": "any"})
        self.pay_line(self.buyer, 3000.0, product=package, name="Package")
        self.assertEqual(self.rank(self.buyer), self.partner_rank)

    def test_all_conditions_are_needed_by_default(self):
        self.vip.write({"auto_upgrade": True, "min_own_spend": 100, "min_direct_count": 1})
        self.pay_line(self.buyer, 1000.0)
        self.assertFalse(self.rank(self.buyer))
        self.pay_line(self.mid, 1000.0, name="Mid")
        self.assertEqual(self.rank(self.mid), self.vip)

    def test_ranks_never_go_down_by_themselves_and_managers_downgrade_by_hand(self):
        self.vip.write({"auto_upgrade": True, "min_own_spend": 100})
        self.buyer._set_rank(self.director, self.company, note="founder")
        self.pay_line(self.buyer, 1000.0)
        self.assertEqual(self.rank(self.buyer), self.director)
        wizard = Form(self.env["points.rank.set.wizard"].with_context(default_partner_id=self.buyer.id))
        self.assertEqual(wizard.current_rank_id, self.director)
        wizard.rank_id = self.leader
        wizard.reason = "Left the board"
        wizard.save().action_confirm()
        self.assertEqual(self.rank(self.buyer), self.leader)
        last = self.buyer.rank_history_ids[0]
        self.assertEqual((last.change, last.trigger, last.note, last.user_id),
                         ("down", "manual", "Left the board", self.env.user))

    def test_only_managers_set_ranks_by_hand(self):
        user = new_test_user(self.env, "rank_user", groups="base.group_user,points_pool.group_points_user",
                             company_id=self.company.id, company_ids=[self.company.id])
        with self.assertRaises(AccessError):
            self.buyer.with_user(user)._set_rank(self.director, self.company)

    def test_the_scheduled_job_upgrades_when_conditions_change(self):
        self.pay_line(self.buyer, 5000.0)
        self.cofounder.write({"auto_upgrade": True, "min_team_volume": 4000})
        self.assertFalse(self.rank(self.top))
        self.env["points.rank"]._cron_upgrade_ranks()
        self.assertEqual(self.rank(self.top), self.cofounder)
        self.assertEqual(self.rank(self.mid), self.cofounder)
        self.assertEqual(self.top.rank_history_ids.trigger, "job")

    def test_at_most_nine_ordered_ranks(self):
        Rank = self.env["points.rank"]
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            Rank.create({"name": "Duplicate", "level": 1, "company_id": self.company.id})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            Rank.create({"name": "Tenth", "level": 10, "company_id": self.company.id})
        Rank.create([{"name": f"R{level}", "level": level, "company_id": self.company.id} for level in (6, 7, 8, 9)])
        self.assertEqual(Rank.search_count([("company_id", "=", self.company.id)]), 9)

    def test_a_rank_of_another_company_is_refused(self):
        other = self.env["res.company"].create({"name": "Other ranks co"})
        rank = self.env["points.rank"].create({"name": "Elsewhere", "level": 1, "company_id": other.id})
        with self.assertRaisesRegex(UserError, "belongs to"):
            self.buyer._set_rank(rank, self.company)
        with self.assertRaises(ValidationError):
            self.vip.min_own_spend = -1
