from odoo import api, fields, models

from odoo.addons.points_engine.rounding import to_decimal

from .points_allocation_plan import BUCKET_SELECTION, BUCKET_SEQUENCE, BucketSelection


class PointsAllocation(models.Model):
    """The amount of one allocation-plan bucket for one paid order line.

    Channels (sales, point of sale) call :meth:`_allocate` when a line is paid,
    then :meth:`_on_paid`; refunds call :meth:`_on_reversed`. Reward modules
    extend these hooks to pay the other buckets.
    """

    _name = "points.allocation"
    _inherit = ["points.source.mixin"]
    _description = "Order Line Allocation"
    _order = "id desc"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Buyer", required=True, readonly=True, index=True)
    plan_id = fields.Many2one("points.allocation.plan", readonly=True)
    order_id = fields.Many2oneReference(index=True)
    product_id = fields.Many2one("product.product", readonly=True, index=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    base_amount = fields.Monetary("Line Amount", readonly=True, help="Untaxed amount of the line.")
    bucket = BucketSelection(BUCKET_SELECTION, bucket_sequence=BUCKET_SEQUENCE, required=True, readonly=True,
                             index=True)
    amount = fields.Monetary(readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    reversal_ids = fields.One2many("points.allocation.reversal", "allocation_id", readonly=True)
    reversed_ratio = fields.Float(
        compute="_compute_reversed_ratio", store=True, digits=(6, 4), help="Share of the line refunded so far.")
    contribution_request_id = fields.Many2one(
        "points.pool.request", readonly=True, index="btree_not_null",
        help="The pool's contribution request of this bucket; the pool applies it in its order of events.")
    contribution_id = fields.Many2one(
        "points.ledger", related="contribution_request_id.ledger_id", string="Contribution",
        help="Pool contribution of this bucket, once the pool applied its request.")

    _sql_constraints = [
        ("source_bucket_uniq", "unique(source_model, source_id, bucket)", "A line is allocated once per bucket."),
    ]

    @api.depends("reversal_ids.ratio")
    def _compute_reversed_ratio(self):
        for row in self:
            row.reversed_ratio = sum(row.reversal_ids.mapped("ratio"))

    # -- channel API --------------------------------------------------------------
    @api.model
    def _allocate(self, line, *, order, partner, product, quantity, amount, company, cost=0.0, take_rate=0.0,
                  date=None):
        """Stores the bucket amounts of a paid ``line``; the same line again returns its rows."""
        line.ensure_one()
        rows = self._for_lines(line)
        if rows:
            return rows
        plan = self.env["points.allocation.plan"]._get_for_product(product, company)
        split = plan._split(to_decimal(amount), to_decimal(quantity), cost=to_decimal(cost),
                            take_rate=to_decimal(take_rate))
        common = {
            "company_id": company.id, "partner_id": partner.id, "plan_id": plan.id,
            **self._source_values(line, order),
            "product_id": product.id, "quantity": quantity, "base_amount": amount,
            "date": date or fields.Datetime.now(),
        }
        return self.sudo().create([
            dict(common, bucket=bucket, amount=float(value)) for bucket, value in split.items() if value
        ])

    def _by_line(self):
        """These rows grouped by their line (sudo): one recordset of rows per paid line."""
        return self.sudo().grouped(lambda row: (row.source_model, row.source_id)).values()

    @api.model
    def _for_lines(self, lines):
        if not lines:
            return self.browse()
        return self.sudo().search(self._source_domain(lines))

    # -- hooks ----------------------------------------------------------------------
    def _on_paid(self):
        """Called once the line of these rows is paid: the pool bucket contributes to the pool.

        Reward modules extend it to pay the other buckets. Idempotent: the
        contribution is keyed on the source line. The pool may apply the
        contribution later: ``contribution_id`` is its ledger row once applied.
        """
        for row in self.filtered(lambda r: r.bucket == "pool" and r.amount > 0):
            pool = self.env["points.pool"].sudo()._get_for_company(row.company_id)
            row.contribution_request_id = pool.contribute(
                row.partner_id, row.base_amount, row.amount, source=row._source_line(),
                mint_ratio=row._mint_ratio())

    def _mint_ratio(self):
        """The mint ratio of this row's line: the store's (the order's ``_points_store()``), else the product
        category's or its nearest parent's, else None (the pool's)."""
        self.ensure_one()
        order = self._order_hooks(self._source_order())
        return self._mint_ratio_for(order._points_store() if order else None, self.product_id, self.company_id)

    @api.model
    def _mint_ratio_for(self, store, product, company):
        """Mint ratio of a sale of ``product`` with ``store`` (or None) in ``company``: the store's, else the
        product category's or its nearest parent's that sets one, else None (the pool's). Estimates use it too."""
        if store and store.points_mint_ratio:
            return store.points_mint_ratio
        category = product.sudo().categ_id.with_company(company)
        while category:
            if category.points_mint_ratio:
                return category.points_mint_ratio
            category = category.parent_id
        return None

    def _reverse(self, ratio, refund_source):
        """Refunds ``ratio`` of the lines of these rows, at most what is left of each line.

        Idempotent on ``refund_source``: the same credit note or cancellation
        reverses a line once. Returns the rows actually reversed.
        """
        reversed_rows = self.browse()
        for source_key, rows in self.grouped(lambda row: (row.source_model, row.source_id)).items():
            if rows.reversal_ids.filtered(lambda rev: (rev.refund_model, rev.refund_id)
                                          == (refund_source._name, refund_source.id)):
                continue
            share = min(to_decimal(ratio), 1 - max(to_decimal(row.reversed_ratio) for row in rows))
            if share <= 0:
                continue
            rows.sudo().write({"reversal_ids": [fields.Command.create({
                "refund_model": refund_source._name, "refund_id": refund_source.id, "ratio": float(share),
            })]})
            rows._on_reversed(float(share), refund_source)
            reversed_rows |= rows
        return reversed_rows

    def _on_reversed(self, ratio, refund_source=None):
        """A share ``ratio`` of the line was refunded: reverse the pool contribution pro rata.

        Called by :meth:`_reverse` once per line and refund; reward modules extend it.
        A contribution the pool has not applied yet is reversed all the same: the pool
        applies the reversal after it. A refused contribution moved nothing to reverse.
        """
        for row in self.filtered(lambda r: r.bucket == "pool" and r.contribution_request_id
                                 and r.contribution_request_id.state != "refused"):
            row.contribution_request_id.pool_id.reverse(row._source_line(), ratio, refund_source=refund_source)

    @api.model
    def _on_pickup_verified(self, order, service_point):
        """Called when the pickup of ``order`` at ``service_point`` is verified; reward modules pay the fee."""
        return self.browse()

    @api.model
    def _order_hooks(self, order):
        """``order`` when it is a channel's order implementing the ``points.order.mixin`` hooks, else None."""
        if order and isinstance(order, self.pool["points.order.mixin"]):
            return order
        return None


class PointsAllocationReversal(models.Model):
    _name = "points.allocation.reversal"
    _description = "Order Line Allocation Refund"

    allocation_id = fields.Many2one("points.allocation", required=True, ondelete="cascade", index=True)
    refund_model = fields.Char(required=True)
    refund_id = fields.Many2oneReference("Refund ID", model_field="refund_model", required=True)
    ratio = fields.Float(required=True, digits=(6, 4))

    _sql_constraints = [
        ("refund_uniq", "unique(allocation_id, refund_model, refund_id)", "A refund reverses a line once."),
    ]
