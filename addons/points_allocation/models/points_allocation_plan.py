from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import formatLang

from odoo.addons.points_engine.allocation import POOL_BUCKET, Rule, payout_ratio, split_line
from odoo.addons.points_engine.rounding import to_decimal
from odoo.addons.points_pool.models.points_ledger import keep_rows

#: The buckets this module pays (the pool) or retains (platform, cost), with where each stands among every
#: module's buckets (``bucket_sequence``): the modules paying the others add theirs in between (points_reward:
#: referral … merchant from 10; points_rebate: rebate at 50), and the field's selection is their display order.
BUCKET_SELECTION = [
    (POOL_BUCKET, "Profit pool"),
    ("platform", "Platform profit"),
    ("cost", "Cost"),
]
BUCKET_SEQUENCE = {POOL_BUCKET: 0, "platform": 90, "cost": 100}

SAMPLE_AMOUNT = Decimal("1000.00")


class BucketSelection(fields.Selection):
    """A ``bucket`` field, its values ordered by the sequence each declaring module gives its buckets.

    ``selection_add`` can only place new values next to values already there, so the order would depend on
    the order Odoo loads the modules in (points_rebate before points_reward put the rebate pool right after
    the pool). Every declaration says where its buckets stand (``bucket_sequence``: ``{value: sequence}``) and
    the field sorts its selection by it; a value declared without one keeps its place after the one before.
    """

    bucket_sequence = None

    def _setup_attrs(self, model_class, name):
        super()._setup_attrs(model_class, name)
        if not isinstance(self.selection, list):
            return
        declared = {}
        for field in self._base_fields:
            declared.update(field._args__.get("bucket_sequence") or {})
        sequence, previous = {}, 0
        for value, _label in self.selection:
            previous = sequence[value] = declared.get(value, previous)
        self.bucket_sequence = sequence
        self.selection = sorted(self.selection, key=lambda item: sequence[item[0]])
        self._selection = dict(self.selection)


def _bucket_field(buckets, sequence, ondelete):
    values = [value for value, _label in buckets]
    return BucketSelection(selection_add=[(POOL_BUCKET,), *buckets, ("platform",)],
                           bucket_sequence={value: sequence + index for index, value in enumerate(values)},
                           ondelete=dict.fromkeys(values, ondelete))


def plan_line_buckets(buckets, sequence):
    """``bucket`` of points.allocation.plan.line for a module paying ``buckets`` (value, label), shown in
    their order from ``sequence`` (between the pool, 0, and the platform, 90, see :class:`BucketSelection`);
    uninstalling the module deletes the plan lines of its buckets."""
    return _bucket_field(buckets, sequence, "cascade")


def allocation_buckets(buckets, sequence):
    """``bucket`` of points.allocation (same place as :func:`plan_line_buckets`); allocation rows are history:
    uninstalling the module leaves the rows of its buckets in place, like ledger rows."""
    return _bucket_field(buckets, sequence, keep_rows)


def bucket_selection(records):
    """The plan line's buckets (translated) for the bucket fields of other models: they offer the same values."""
    return records.env["points.allocation.plan.line"]._fields["bucket"]._description_selection(records.env)


class PointsAllocationPlan(models.Model):
    _name = "points.allocation.plan"
    _description = "Allocation Plan"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("points.allocation.plan.line", "plan_id", copy=True)
    payout_ratio = fields.Float(
        compute="_compute_sample", digits=(5, 4),
        help="Share of a line's price paid out to members and pools (everything but platform profit and cost), "
             "for a sample line of 1,000.00.")
    payout_ratio_limit = fields.Float(related="company_id.points_payout_ratio_limit")
    over_limit = fields.Boolean(compute="_compute_sample")
    over_limit_message = fields.Char(compute="_compute_sample")
    sample_split = fields.Html(compute="_compute_sample", sanitize=False, string="Sample Split")
    sample_cost = fields.Monetary(default=200.0, help="Cost assumed for the sample 1,000.00 line (margin basis).")
    sample_take_rate = fields.Float(default=0.20, digits=(5, 4),
                                    help="Take rate assumed for the sample line (commission basis).")

    @api.depends("line_ids.bucket", "line_ids.basis", "line_ids.value", "sample_cost", "sample_take_rate",
                 "company_id.points_payout_ratio_limit")
    def _compute_sample(self):
        buckets = self.env["points.allocation.plan.line"]._fields["bucket"]._description_selection(self.env)
        for plan in self:
            split = plan._split(SAMPLE_AMOUNT, Decimal(1), cost=to_decimal(plan.sample_cost),
                                take_rate=to_decimal(plan.sample_take_rate))
            ratio = payout_ratio(split, SAMPLE_AMOUNT)
            plan.payout_ratio = float(ratio)
            plan.over_limit = bool(plan.payout_ratio_limit) and ratio > to_decimal(plan.payout_ratio_limit)
            ratio_text, limit_text = "%.2f%%" % (ratio * 100), "%.2f%%" % (plan.payout_ratio_limit * 100)
            plan.over_limit_message = plan.over_limit and _(
                "This plan pays out %(ratio)s of the price, above the limit of %(limit)s. High payout ratios and "
                "multi-level team rewards can be unlawful in some jurisdictions: review the plan before using it.",
                ratio=ratio_text, limit=limit_text)
            plan.sample_split = self.env["ir.qweb"]._render("points_allocation.points_allocation_plan_sample", {
                "rows": [(label, float(split[bucket])) for bucket, label in buckets if bucket in split],
                "total": float(sum(split.values(), Decimal(0))),
                "heading": _("Amount of a %s line", formatLang(self.env, float(SAMPLE_AMOUNT),
                                                               currency_obj=plan._currency())),
                "currency": plan._currency(),
            })

    @api.model
    def _get_company_default(self, company):
        """The company's default plan, created as 30% of the price to the pool when missing."""
        company = company.sudo()
        if not company.points_default_plan_id:
            company.points_default_plan_id = self.sudo().create({
                "name": _("Standard plan"),
                "company_id": company.id,
                "line_ids": [fields.Command.create({"bucket": POOL_BUCKET, "basis": "price", "value": 30.0})],
            })
        return company.points_default_plan_id

    @api.model
    def _get_for_product(self, product, company):
        """The product's plan, else its category's (or a parent category's), else the company default."""
        plan = product.product_tmpl_id.with_company(company).points_plan_id
        category = product.categ_id
        while not plan and category:
            plan = category.with_company(company).points_plan_id
            category = category.parent_id
        if plan and plan.company_id != company:
            plan = self.browse()
        return plan or self._get_company_default(company)

    def _rules(self):
        self.ensure_one()
        return [Rule(line.bucket, line.basis, to_decimal(line.value)) for line in self.line_ids]

    def _split(self, amount, quantity, cost=Decimal(0), take_rate=Decimal(0)):
        """Bucket amounts of a line of this plan (see points_engine.allocation.split_line)."""
        return split_line(self._rules(), amount, quantity, cost=cost, take_rate=take_rate,
                          money_digits=self._currency().decimal_places)

    def _currency(self):
        # A plan being created in a form may not have its company yet.
        return self.currency_id or self.env.company.currency_id


class PointsAllocationPlanLine(models.Model):
    _name = "points.allocation.plan.line"
    _description = "Allocation Plan Bucket"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one("points.allocation.plan", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    bucket = BucketSelection(BUCKET_SELECTION, bucket_sequence=BUCKET_SEQUENCE, required=True)
    basis = fields.Selection(
        [("price", "% of untaxed price"), ("margin", "% of margin (price − cost)"),
         ("commission", "% of platform commission"), ("fixed", "Fixed amount per unit")],
        required=True, default="price")
    value = fields.Float(required=True, digits=(12, 4), help="A percentage, or money per unit for a fixed amount.")

    _sql_constraints = [
        ("value_positive", "CHECK(value >= 0)", "Bucket values cannot be negative."),
    ]

    @api.constrains("basis", "value")
    def _check_percentage(self):
        for line in self:
            if line.basis != "fixed" and line.value > 100:
                bucket = dict(line._fields["bucket"]._description_selection(self.env))[line.bucket]
                raise ValidationError(_("A percentage cannot exceed 100 (bucket %s).", bucket))
