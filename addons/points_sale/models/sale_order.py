from decimal import Decimal

from odoo import api, fields, models
from odoo.tools.misc import formatLang

from odoo.addons.points_engine.rounding import to_decimal


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "points.order.mixin"]

    points_merchant_id = fields.Many2one(
        "res.partner", string="Store", domain=[("points_is_merchant", "=", True)],
        help="Store (O2O merchant) the order is for; its take rate is the basis of commission buckets.")
    points_contribution = fields.Monetary(
        compute="_compute_points_estimate", string="Pool Contribution",
        help="What the order puts into the profit pool when it is paid.")
    points_estimated = fields.Float(
        compute="_compute_points_estimate", digits=(16, 4), string="Points to Earn",
        help="Points the customer would earn at today's price.")
    points_contributed = fields.Float(
        compute="_compute_points_contributed", digits=(16, 4), string="Points Earned",
        help="Points minted by the order's paid lines, net of refunds.")

    @api.depends("order_line.points_contribution", "order_line.points_estimated")
    def _compute_points_estimate(self):
        for order in self:
            order.points_contribution = sum(order.order_line.mapped("points_contribution"))
            order.points_estimated = sum(order.order_line.mapped("points_estimated"))

    def _points_estimate_sentence(self):
        """The quotation's line about points, in the customer's language (the report only prints it)."""
        self.ensure_one()
        return self.env._(
            "Points to earn on this order at today's price: %(points)s (pool contribution %(amount)s).",
            points=formatLang(self.env, self.points_estimated, digits=4),
            amount=formatLang(self.env, self.points_contribution, currency_obj=self.currency_id))

    def _compute_points_contributed(self):
        Ledger = self.env["points.ledger"].sudo()
        for order in self:
            contributions = Ledger.search([("event", "=", "contribute"), "|",
                                           "&", ("source_model", "=", "sale.order.line"),
                                           ("source_id", "in", order.order_line.ids),
                                           "&", ("source_model", "=", "account.move.line"),
                                           ("source_id", "in", order.order_line.invoice_lines.ids)])
            reversals = Ledger.search([("reversal_of_id", "in", contributions.ids)])
            order.points_contributed = sum((contributions | reversals).mapped("points_delta"))

    def _points_store(self):
        return self.points_merchant_id

    def _points_buyer_address(self):
        return self.partner_shipping_id

    def _action_confirm(self):
        result = super()._action_confirm()
        for order in self.filtered(lambda o: o.company_id.points_sale_trigger == "confirm"):
            order.order_line._points_pay()
        return result

    def _action_cancel(self):
        for order in self.filtered(lambda o: o.company_id.points_sale_trigger == "confirm"):
            order.order_line._points_refund(Decimal(1), order)
        return super()._action_cancel()


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    points_contribution = fields.Monetary(compute="_compute_points_estimate", string="Pool Contribution")
    points_estimated = fields.Float(compute="_compute_points_estimate", digits=(16, 4), string="Points to Earn")

    @api.depends("product_id", "price_subtotal", "product_uom_qty", "order_id.points_merchant_id",
                 "order_id.company_id")
    def _compute_points_estimate(self):
        pools = {}
        for line in self:
            line.points_contribution = line.points_estimated = 0.0
            if line.display_type or not line.product_id or line.price_subtotal <= 0:
                continue
            company = line.order_id.company_id or self.env.company
            split = line._points_split(company, to_decimal(line.price_subtotal), to_decimal(line.product_uom_qty))
            contribution = split.get("pool", Decimal(0))
            if not contribution:
                continue
            if company not in pools:
                pools[company] = self.env["points.pool"].sudo()._get_for_company(company)
            # Mint on a copy of today's pool: an estimate, nothing is stored.
            line.points_contribution = float(contribution)
            ratio = self.env["points.allocation"]._mint_ratio_for(
                line.order_id._points_store(), line.product_id, company)
            line.points_estimated = float(pools[company]._engine().contribute(contribution, mint_ratio=ratio).points)

    def _points_split(self, company, amount, quantity):
        self.ensure_one()
        plan = self.env["points.allocation.plan"].sudo()._get_for_product(self.product_id, company)
        return plan._split(amount, quantity, cost=to_decimal(self.product_id.standard_price) * quantity,
                           take_rate=to_decimal(self.order_id.points_merchant_id.points_take_rate))

    def _points_lines(self):
        return self.filtered(lambda line: not line.display_type and line.product_id and line.price_subtotal > 0)

    def _points_pay(self):
        """Order lines contribute themselves (trigger: on confirmation)."""
        for line in self._points_lines():
            order = line.order_id
            rows = self.env["points.allocation"]._allocate(
                line, order=order, partner=order.partner_id.commercial_partner_id, product=line.product_id,
                quantity=line.product_uom_qty, amount=line.price_subtotal, company=order.company_id,
                cost=line.product_id.standard_price * line.product_uom_qty,
                take_rate=order.points_merchant_id.points_take_rate, date=order.date_order)
            rows._on_paid()

    def _points_refund(self, ratio, refund_source):
        """Reverses ``ratio`` of lines that contributed themselves (capped at what is left)."""
        for line in self:
            self.env["points.allocation"]._for_lines(line)._reverse(ratio, refund_source)
