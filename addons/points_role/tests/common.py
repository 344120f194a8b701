from odoo.tests import Form

from odoo.addons.points_reward.tests.common import agent_level
from odoo.addons.points_sale.tests.common import PointsSaleCase


class RoleMixin:
    """For channel test cases: two district territories of Hangzhou and the products selling roles.

    ``agency`` sells the district territory chosen on the order line (a 12-month term per unit),
    ``xihu_agency`` always sells Xihu District, ``franchise`` a service-point franchise.
    """

    @classmethod
    def setup_roles(cls, agency, xihu_agency, franchise):
        district = agent_level(cls.env, "district")
        Territory = cls.env["points.territory"]
        cls.xihu = Territory.create({"name": "Xihu District", "company_id": cls.company.id, "level_id": district.id,
                                     "zip_prefix": "3100"})
        cls.binjiang = Territory.create({"name": "Binjiang District", "company_id": cls.company.id,
                                         "level_id": district.id, "zip_prefix": "3105"})
        cls.agency, cls.xihu_agency, cls.franchise = agency, xihu_agency, franchise
        agency.write({"points_role": "agent", "points_role_level_id": district.id, "points_role_term_months": 12})
        xihu_agency.write({"points_role": "agent", "points_role_territory_id": cls.xihu.id})
        franchise.write({"points_role": "service_point"})

    def agency_of(self, territory):
        return self.env["points.agent"].search([("territory_id", "=", territory.id)])

    def grants(self, partner):
        return self.env["points.role.grant"].search([("partner_id", "=", partner.id)])

    def role_state(self):
        """Everything selling a role may change, to prove that a refused sale changed nothing."""
        self.env.invalidate_all()
        Agent = self.env["points.agent"].with_context(active_test=False)
        return (Agent.search_count([]), self.env["points.role.grant"].search_count([]),
                [(a.partner_id.id, a.date_end, a.active) for a in Agent.search([("territory_id", "!=", False)])])


class RoleSaleCase(RoleMixin, PointsSaleCase):
    """PointsSaleCase selling roles: ``sell_role`` confirms an order of a role product, ``paid`` also pays it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        products = [cls._create_product(name=name, lst_price=price, taxes_id=[(5, 0, 0)])
                    for name, price in (("District agency", 50000.0), ("Xihu agency", 80000.0),
                                        ("Service point franchise", 9800.0))]
        cls.setup_roles(*products)
        cls.rival = cls.env["res.partner"].create({"name": "Rival"})

    @classmethod
    def sell_role(cls, product, territory=None, partner=None, quantity=1):
        form = Form(cls.env["sale.order"])
        form.partner_id = partner or cls.buyer
        with form.order_line.new() as line:
            line.product_id = product
            line.product_uom_qty = quantity
            if territory:
                line.points_territory_id = territory
        order = form.save()
        order.action_confirm()
        return order

    @classmethod
    def paid(cls, product, territory=None, partner=None, quantity=1):
        order = cls.sell_role(product, territory, partner, quantity)
        invoice = cls.invoice(cls, order)  # PointsSaleCase's helpers, here for the class's fixtures too
        cls.pay(cls, invoice)
        return invoice
