from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import RoleSaleCase


@tagged("post_install", "-at_install")
class TestRoleSale(RoleSaleCase):
    """Agencies and franchises sold by paid sales orders and revoked by their credit notes."""

    @freeze_time("2026-03-02")
    def test_a_paid_agency_makes_the_buyer_agent_of_the_chosen_territory_for_its_term(self):
        self.paid(self.agency, self.binjiang)
        agency = self.agency_of(self.binjiang)
        self.assertEqual((agency.partner_id, agency.level_id, agency.zip_prefix, agency.date_start, agency.date_end),
                         (self.buyer, self.binjiang.level_id, "3105", date(2026, 3, 2), date(2027, 3, 2)))
        self.assertEqual(self.binjiang.agent_partner_id, self.buyer)
        grant = self.grants(self.buyer)
        self.assertEqual((grant.role, grant.state, grant.agent_id), ("agent", "active", agency))
        self.assertFalse(self.agency_of(self.xihu))
        self.assertNoBreach()

    def test_an_unpaid_order_grants_nothing(self):
        self.sell_role(self.xihu_agency)
        self.assertFalse(self.agency_of(self.xihu))

    def test_the_credit_note_revokes_the_agency(self):
        invoice = self.paid(self.xihu_agency)
        self.credit_note(invoice)
        self.assertFalse(self.agency_of(self.xihu))
        self.assertEqual(self.grants(self.buyer).state, "revoked")
        self.assertFalse(self.xihu.agent_partner_id)

    def test_a_taken_territory_is_refused_at_confirmation_and_nothing_changes(self):
        self.paid(self.xihu_agency)
        before = self.role_state()
        order = Form(self.env["sale.order"])
        order.partner_id = self.rival
        with order.order_line.new() as line:
            line.product_id = self.xihu_agency
        order = order.save()
        with self.assertRaisesRegex(UserError, "Xihu District already has its District agent, Buyer"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(self.role_state(), before)

    def test_buying_again_extends_the_term_of_the_same_agency(self):
        with freeze_time("2026-03-02"):
            self.paid(self.agency, self.binjiang)
        with freeze_time("2026-12-01"):
            self.paid(self.agency, self.binjiang, quantity=2)
        agency = self.agency_of(self.binjiang)
        self.assertEqual(len(agency), 1)
        self.assertEqual((agency.date_start, agency.date_end), (date(2026, 3, 2), date(2029, 3, 2)))
        self.assertEqual(self.grants(self.buyer).mapped("date_start"), [date(2027, 3, 2), date(2026, 3, 2)])

    def test_refunding_the_renewal_gives_back_the_first_term(self):
        with freeze_time("2026-03-02"):
            self.paid(self.agency, self.binjiang)
            renewal = self.paid(self.agency, self.binjiang)
            self.credit_note(renewal)
        agency = self.agency_of(self.binjiang)
        self.assertEqual((agency.active, agency.date_end), (True, date(2027, 3, 2)))

    @freeze_time("2026-03-02")
    def test_refunding_one_of_two_years_shortens_the_term(self):
        invoice = self.paid(self.agency, self.binjiang, quantity=2)
        self.assertEqual(self.agency_of(self.binjiang).date_end, date(2028, 3, 2))
        self.credit_note(invoice, quantity=1)
        agency = self.agency_of(self.binjiang)
        self.assertEqual((agency.active, agency.date_end), (True, date(2027, 3, 2)))
        self.assertEqual(self.grants(self.buyer).state, "active")

    def test_a_franchise_makes_the_buyer_a_service_point_until_refunded(self):
        invoice = self.paid(self.franchise)
        self.assertTrue(self.buyer.points_is_service_point)
        self.assertEqual(self.grants(self.buyer).role, "service_point")
        self.credit_note(invoice)
        self.assertFalse(self.buyer.points_is_service_point)

    def test_an_agency_needs_a_territory_of_its_level(self):
        before = self.role_state()
        with self.assertRaisesRegex(UserError, "Choose the territory"):
            self.sell_role(self.agency)
        city = self.env["points.territory"].create({
            "name": "Hangzhou", "company_id": self.company.id, "city": "Hangzhou",
            "level_id": self.env.ref("points_reward.agent_level_city").id})
        with self.assertRaisesRegex(UserError, "not Hangzhou"):
            self.sell_role(self.agency, city)
        with self.assertRaisesRegex(UserError, "sold twice"):
            order = Form(self.env["sale.order"])
            order.partner_id = self.buyer
            for _n in range(2):
                with order.order_line.new() as line:
                    line.product_id = self.xihu_agency
            order.save().action_confirm()
        self.assertEqual(self.role_state(), before)

    def test_a_territory_of_another_company_is_refused(self):
        other = self.env["res.company"].create({"name": "Maps elsewhere"})
        theirs = self.env["points.territory"].create({"name": "Their district", "company_id": other.id,
                                                      "level_id": self.xihu.level_id.id, "zip_prefix": "2000"})
        before = self.role_state()
        order = self.env["sale.order"].create({"partner_id": self.buyer.id, "order_line": [(0, 0, {
            "product_id": self.agency.id, "points_territory_id": theirs.id})]})
        with self.assertRaisesRegex(UserError, "belongs to another company"):
            order.action_confirm()
        self.assertEqual(self.role_state(), before)

    def test_a_level_whose_territories_do_not_say_what_it_matches_by_cannot_change(self):
        with self.assertRaisesRegex(ValidationError, "Streets or Towns"):
            self.xihu.level_id.match_by = "streets"

    def ranks_and_package(self, held, sold):
        """Ranks Partner (3) and Director (5); the buyer holds ``held``, a package sells ``sold`` (by name)."""
        ranks = {name: self.env["points.rank"].create({"name": name, "level": level, "company_id": self.company.id})
                 for name, level in (("Partner", 3), ("Director", 5))}
        self.buyer._set_rank(ranks[held], self.company)
        package = self._create_product(name=f"{sold} package", lst_price=30000.0, taxes_id=[(5, 0, 0)])
        package.product_tmpl_id.write({"points_role": "rank", "points_role_rank_id": ranks[sold].id})
        return ranks, package

    def rank(self):
        return self.buyer.with_company(self.company).rank_id

    def test_a_rank_package_raises_the_rank_and_its_refund_gives_the_previous_one_back(self):
        ranks, package = self.ranks_and_package("Partner", "Director")
        invoice = self.paid(package)
        self.assertEqual(self.rank(), ranks["Director"])
        grant = self.grants(self.buyer)
        self.assertEqual((grant.role, grant.rank_id, grant.previous_rank_id),
                         ("rank", ranks["Director"], ranks["Partner"]))
        self.credit_note(invoice)
        self.assertEqual((self.rank(), grant.state), (ranks["Partner"], "revoked"))

    def test_a_rank_package_never_lowers_a_rank(self):
        ranks, package = self.ranks_and_package("Director", "Partner")
        self.paid(package)
        self.assertEqual(self.rank(), ranks["Director"])
        self.credit_note(self.grants(self.buyer).order_ref.invoice_ids)
        self.assertEqual(self.rank(), ranks["Director"])

    def test_a_rank_package_says_which_rank(self):
        with self.assertRaisesRegex(ValidationError, "which rank"):
            self.franchise.points_role = "rank"

    def test_an_agency_runs_for_at_least_a_month(self):
        with self.assertRaises(ValidationError):
            self.agency.points_role_term_months = 0

    def test_the_new_agent_earns_the_regional_reward_of_its_territory(self):
        self.paid(self.xihu_agency)
        self.product.product_tmpl_id.with_company(self.company).points_plan_id = self.env[
            "points.allocation.plan"].create({"name": "Regional", "company_id": self.company.id, "line_ids": [
                (0, 0, {"bucket": "regional", "basis": "price", "value": 1})]})
        self.env["points.reward.rule"].create({
            "name": "Districts", "rule_type": "regional", "company_id": self.company.id, "basis": "fixed",
            "line_ids": [(0, 0, {"agent_level_id": self.xihu.level_id.id, "value": 3})]})
        customer = self.env["res.partner"].create({"name": "Customer in Xihu", "zip": "310012"})
        order = self.sell(partner=customer)
        self.pay(self.invoice(order))
        reward = self.env["points.reward"].search([("order_id", "=", order.id), ("order_model", "=", "sale.order")])
        self.assertEqual((reward.partner_id, reward.amount), (self.buyer, 3.0))
