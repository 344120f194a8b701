from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index

from odoo.addons.points_engine.rebate import (
    accelerations, due_date, feed_reversal, lock_days, qualifies, rebate_amount, refund_entry,
)
from odoo.addons.points_engine.rewards import reversal_amount
from odoo.addons.points_engine.rounding import money_half_up, to_decimal
from odoo.addons.points_engine.wallet import debt_growth
from odoo.addons.points_pool.fields import LooseMany2one
from odoo.addons.points_pool.keys import idempotency_key

ENTRY_STATES = [("queued", "Queued"), ("released", "Released"), ("cancelled", "Cancelled")]


class PointsRebateEntry(models.Model):
    """One queued rebate (SPEC §7): a paid line's rebate, waiting in queue order for the rebate pool.

    The queue order is the payment time, then the id (entries of the same moment keep
    their creation order). The daily job releases due entries in that order while the
    rebate pool pays each in full; a referee's order releases part of the member's
    oldest entry at once; a refund of the line cancels what still waits and takes back
    what was released (which may leave a debt).
    """

    _name = "points.rebate.entry"
    _inherit = ["points.source.mixin", "points.reversible.mixin"]
    _description = "Queued Rebate"
    _order = "paid_at, id"
    _rec_names_search = ["partner_id", "order_label"]

    # Few plain indexes: a release run rewrites a million rows, and each index costs a write per row. The queue
    # indexes of init() are partial (queued entries only), so released entries leave them for free.
    pool_id = fields.Many2one("points.pool", required=True, readonly=True, ondelete="restrict")
    company_id = fields.Many2one(related="pool_id.company_id", store=True)
    currency_id = fields.Many2one(related="pool_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Member", required=True, readonly=True, index=True,
                                 ondelete="restrict")
    # No foreign key: entries are queued at checkout, and the pool's sequencer rewrites wallets all the time.
    wallet_id = LooseMany2one("points.wallet", required=True, readonly=True)
    allocation_id = fields.Many2one("points.allocation", string="Allocation", readonly=True, index="btree_not_null",
                                    ondelete="set null", help="The line's rebate bucket in its allocation plan.")
    order_id = fields.Many2oneReference(index="btree_not_null")
    order_label = fields.Char("Order Reference", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    line_amount = fields.Monetary(readonly=True, help="Untaxed amount of the paid line.")
    amount = fields.Monetary("Rebate", readonly=True, help="The rebate queued for the line.")
    released_amount = fields.Monetary("Released", readonly=True, default=0.0)
    cancelled_amount = fields.Monetary("Cancelled", readonly=True, default=0.0,
                                       help="Taken out of the queue by refunds.")
    clawed_back_amount = fields.Monetary(
        "Taken Back", readonly=True, default=0.0,
        help="Released money that refunds took back from the member's cash balance.")
    remaining = fields.Monetary(readonly=True, help="What still waits in the queue.")
    pending_release = fields.Monetary(
        "Release Requested", readonly=True, default=0.0,
        help="Accelerated releases asked of the profit pool and not applied yet. The static release leaves the "
             "entry for its next run meanwhile.")
    paid_at = fields.Datetime("Paid On", required=True, readonly=True)
    lock_days = fields.Integer("Lock Period (days)", readonly=True)
    due_date = fields.Date(required=True, readonly=True, help="First day the static release may pay the entry.")
    state = fields.Selection(ENTRY_STATES, default="queued", required=True, readonly=True)
    released_at = fields.Datetime("Released On", readonly=True)
    # No foreign key: a release run rewrites a million entries, and a key check per row would cost more than the run.
    release_run_id = LooseMany2one("points.rebate.run", "Release Run", readonly=True, index="btree_not_null",
                                   help="The static release run that paid this entry.")
    position = fields.Integer(compute="_compute_queue_figures", help="Place in the company's queue (1 = next).")
    expected_release = fields.Date(
        compute="_compute_queue_figures",
        help="When the entry is released if the rebate pool keeps its balance: its due date, or today when "
             "overdue. Empty while the pool cannot yet cover the queue up to this entry.")
    ledger_ids = fields.One2many("points.ledger", "rebate_entry_id", readonly=True,
                                 help="Accelerated releases and refunds of this entry.")
    release_ledger_id = fields.Many2one(
        "points.ledger", "Static Release", compute="_compute_release_ledger_id",
        help="Ledger row of the static release run that paid this entry (one row per member and run).")

    _sql_constraints = [
        ("source_uniq", "unique(source_model, source_id)", "A paid line queues one rebate."),
        ("amount_positive", "CHECK(amount > 0)", "A queued rebate is positive."),
    ]

    def init(self):
        # The queue: the static release and the positions read it in queue order.
        create_index(self.env.cr, "points_rebate_entry_queue_index", self._table,
                     ["pool_id", "paid_at", "id"], where="state = 'queued'")
        create_index(self.env.cr, "points_rebate_entry_member_queue_index", self._table,
                     ["partner_id", "pool_id", "paid_at", "id"], where="state = 'queued'")

    @api.depends("partner_id", "order_label")
    def _compute_display_name(self):
        for entry in self:
            entry.display_name = " – ".join(filter(None, [entry.partner_id.display_name, entry.order_label]))

    @api.depends("release_run_id", "released_at", "wallet_id")
    def _compute_release_ledger_id(self):
        """The member's row of the run that released the entry (one row per member and run).

        Entries released before runs were recorded find it by wallet and time.
        """
        Ledger = self.env["points.ledger"].sudo()
        for entry in self:
            run = entry.sudo().release_run_id
            if run:
                entry.release_ledger_id = run.ledger_ids.filtered(lambda row: row.wallet_id == entry.wallet_id)[:1]
            else:
                entry.release_ledger_id = entry.released_at and Ledger.search([
                    ("wallet_id", "=", entry.wallet_id.id), ("event", "=", "rebate_release"),
                    ("source_model", "=", "account.move"), ("date", "=", entry.released_at)], limit=1)

    def _compute_queue_figures(self):
        """Position and expected release of queued entries, from one running sum over their pools' queues."""
        self.position = 0
        self.expected_release = False
        queued = self.filtered(lambda entry: entry.state == "queued" and entry.id)
        if not queued:
            return
        self.env["points.rebate.entry"].flush_model(["state", "remaining", "paid_at", "pool_id"])
        self.env.cr.execute(SQL(
            """SELECT queue.id, queue.position, queue.running <= pool.rebate_balance
                 FROM (SELECT id, pool_id,
                              row_number() OVER queue_order AS position,
                              sum(remaining) OVER queue_order AS running
                         FROM points_rebate_entry
                        WHERE state = 'queued' AND pool_id IN %(pools)s
                       WINDOW queue_order AS (PARTITION BY pool_id ORDER BY paid_at, id)) queue
                 JOIN points_pool_state pool ON pool.pool_id = queue.pool_id
                WHERE queue.id IN %(ids)s""",
            pools=tuple(queued.pool_id.ids), ids=tuple(queued.ids)))
        figures = {entry_id: (position, covered) for entry_id, position, covered in self.env.cr.fetchall()}
        today = fields.Date.context_today(self)
        for entry in queued:
            position, covered = figures.get(entry.id, (0, False))
            entry.position = position
            entry.expected_release = max(entry.due_date, today) if covered else False

    # -- queueing ---------------------------------------------------------------------------------
    @api.model
    def _queue_line(self, rows):
        """A paid line (its allocation rows): its rebate bucket feeds the rebate pool, and a qualifying line
        queues a rebate for the buyer. Lines whose plan has no rebate bucket take no part. Idempotent."""
        rebate_row = rows.filtered(lambda row: row.bucket == "rebate")[:1]
        if not rebate_row:
            return self.browse()
        pool = self.env["points.pool"].sudo()._get_for_company(rebate_row.company_id)
        feed_key = idempotency_key("rebate_feed", rebate_row)
        if rebate_row.amount > 0 and not pool._rebate_key_exists(feed_key):
            pool._record_rebate_rows([{
                "event": "rebate_feed", "amount": rebate_row.amount, "rebate": to_decimal(rebate_row.amount),
                "partner": rebate_row.partner_id, "source": rebate_row._source_line(), "key": feed_key,
            }], key=feed_key)
        line = rebate_row._source_line()
        if self.search_count(self._source_domain(line), limit=1):
            return self.browse()
        digits = pool.currency_id.decimal_places
        line_amount = money_half_up(to_decimal(rebate_row.base_amount), digits)
        if not qualifies(line_amount, to_decimal(pool.rebate_min_amount)):
            return self.browse()
        amount = rebate_amount(line_amount, to_decimal(pool.rebate_rate), digits)
        if amount <= 0:
            return self.browse()
        days = self._lock_days_for(rebate_row, pool)
        order = rebate_row._source_order()
        wallet = self.env["points.wallet"].sudo()._get_for_partner(rebate_row.partner_id, pool.company_id)
        paid_at = rebate_row.date
        return self.create({
            "pool_id": pool.id, "partner_id": rebate_row.partner_id.id, "wallet_id": wallet.id,
            "allocation_id": rebate_row.id, "source_model": line._name, "source_id": line.id,
            "order_model": rebate_row.order_model or False, "order_id": rebate_row.order_id or False,
            "order_label": (order or line).display_name, "product_id": rebate_row.product_id.id,
            "line_amount": float(line_amount), "amount": float(amount), "remaining": float(amount),
            "paid_at": paid_at, "lock_days": days,
            "due_date": due_date(fields.Datetime.context_timestamp(self, paid_at), days),
        })

    @api.model
    def _lock_days_for(self, row, pool):
        """The product's base lock period, else its plan's, else the company's, plus the product's N days."""
        template = row.product_id.product_tmpl_id.with_company(pool.company_id)
        base = template.points_rebate_lock_days or row.plan_id.rebate_lock_days or pool.rebate_lock_days
        try:
            return lock_days(base, template.points_rebate_extra_days)
        except ValueError as error:
            raise UserError(_("The rebate lock period of %(product)s is not valid: %(error)s",
                              product=row.product_id.display_name, error=error)) from error

    # -- accelerated release -------------------------------------------------------------------
    @api.model
    def _accelerate_line(self, rows):
        """A referee's paid line releases part of its referrer's oldest queued entry at once (once per line), and
        an indirect referee's (a referee's referee's) part of that member's oldest entry, at its own rate.

        Returns the pool's requests, one per level released. Each amount is held on its entry
        (``pending_release``) until the sequencer applies the request: accelerations of the same
        entry at the same time take turns on its row and never hold more than it has; the entry's
        figures follow once the money is paid (:meth:`points.pool.request._on_applied`). If the
        rebate pool can no longer pay it at its turn, the request is refused and the entry stays
        as it was. The amounts are ``points_engine.rebate.accelerations``.
        """
        Request = self.env["points.pool.request"]
        first = rows[:1]
        direct = first.partner_id.referrer_id
        if not direct:
            return Request
        pool = self.env["points.pool"].sudo()._get_for_company(first.company_id)
        line = first._source_line()
        levels = []  # (key, referrer, rate): the nearest referrer first
        for prefix, referrer, rate in (("rebate_accelerate", direct, pool.rebate_acceleration_rate),
                                       ("rebate_accelerate_indirect", direct.referrer_id,
                                        pool.rebate_indirect_acceleration_rate)):
            if referrer and rate:
                levels.append((idempotency_key(prefix, line), referrer, rate))
        if not levels:
            return Request
        if all(pool._rebate_key_exists(key) for key, _referrer, _rate in levels):
            return Request.union(*(pool._rebate_request(key) for key, _referrer, _rate in levels))
        self.flush_model()
        digits = pool.currency_id.decimal_places
        oldest = {}
        for key, referrer, _rate in levels:
            if pool._rebate_key_exists(key):
                continue
            self.env.cr.execute(SQL(
                """SELECT id FROM points_rebate_entry
                    WHERE partner_id = %s AND pool_id = %s AND state = 'queued'
                      AND remaining - COALESCE(pending_release, 0) > 0
                    ORDER BY paid_at, id LIMIT 1 FOR NO KEY UPDATE""", referrer.id, pool.id))
            found = self.env.cr.fetchone()
            if found:
                entry = self.browse(found[0])
                entry.invalidate_recordset()
                oldest[key] = entry
        amounts = accelerations(
            to_decimal(first.base_amount),
            [(to_decimal(rate), money_half_up(to_decimal(oldest[key].remaining), digits)
              - money_half_up(to_decimal(oldest[key].pending_release), digits)) if key in oldest else (rate, None)
             for key, _referrer, rate in levels],
            to_decimal(pool.rebate_balance), digits)
        requests = Request
        # The memos are stored: in the staff's language.
        staff_env = pool._points_in_staff_lang().env
        names = {"buyer": first.partner_id.display_name, "order": (first._source_order() or line).display_name}
        memos = [staff_env._("Accelerated by %(buyer)s's order %(order)s", **names),
                 staff_env._("Accelerated by the indirect referee %(buyer)s's order %(order)s", **names)]
        for (key, _referrer, _rate), amount in zip(levels, amounts):
            if amount <= 0:
                continue
            entry = oldest[key]
            entry.pending_release = float(money_half_up(to_decimal(entry.pending_release), digits) + amount)
            memo = memos[0] if key.startswith("rebate_accelerate:") else memos[1]
            requests |= pool._record_rebate_rows([{
                "event": "rebate_release", "amount": amount, "rebate": -amount, "cash": amount,
                "wallet": entry.wallet_id, "entry": entry, "source": line, "key": key, "memo": memo,
            }], key=key)
        return requests

    def _lock_for_refund(self):
        """Takes the entry's row before a refund changes it (a concurrent change makes this transaction retry)."""
        self.ensure_one()
        self.flush_recordset()
        self.env.cr.execute(SQL("SELECT id FROM points_rebate_entry WHERE id = %s FOR NO KEY UPDATE", self.id))
        self.invalidate_recordset()
        return self

    # -- refunds ---------------------------------------------------------------------------------
    @api.model
    def _refund_line(self, rows, refund_source, refunded):
        """A refund brings the line to ``refunded`` (its share refunded in all): its queued rebate is cancelled
        pro rata, first from what still waits, then from what was released (taken back from the member's cash,
        which may leave a debt); the rebate pool gives back the same share of the line's feeding."""
        rebate_row = rows.filtered(lambda row: row.bucket == "rebate")[:1]
        if not rebate_row:
            return
        pool = self.env["points.pool"].sudo()._get_for_company(rebate_row.company_id)
        digits = pool.currency_id.decimal_places
        line = rebate_row._source_line()
        entry = self.search(self._source_domain(line), limit=1)
        if entry:
            entry._refund(pool, refunded, refund_source)
        key = idempotency_key("rebate_feed_reverse", rebate_row, refund_source)
        if rebate_row.amount <= 0 or pool._rebate_key_exists(key):
            return
        # A reversal the rebate pool refused returned nothing: the next refund of the line returns it.
        returned = pool._rebate_reversed_total(rebate_row)
        amount = feed_reversal(to_decimal(rebate_row.amount), returned, to_decimal(refunded),
                               to_decimal(pool.rebate_balance), digits)
        if amount > 0:
            pool._record_rebate_rows([{
                "event": "rebate_feed_reverse", "amount": amount, "rebate": -amount, "partner": rebate_row.partner_id,
                "source": line, "key": key, "reversal_of": rebate_row, "memo": refund_source.display_name,
            }], key=key)

    @api.model
    def _refund_acceleration(self, rows, refund_source, refunded):
        """A refund of a referee's line undoes, pro rata, the acceleration it gave while the accelerated entry
        still waits: the amount goes back from the referrer's cash (which may leave a debt) to the rebate pool
        and to the entry's queue. Once the entry is fully released, the acceleration only advanced money that
        was due anyway, and nothing is taken back. An acceleration the pool has not applied yet has nothing to
        undo yet: a later refund of the line undoes its share then (the shares are cumulative)."""
        line = rows[:1]._source_line()
        for level in ("", "_indirect"):
            self._refund_acceleration_level(line, level, refund_source, refunded)

    @api.model
    def _refund_acceleration_level(self, line, level, refund_source, refunded):
        key = idempotency_key(f"rebate_accelerate{level}", line)
        accelerated = self.env["points.ledger"].sudo().search([("key", "=", key)], limit=1)
        entry = accelerated.rebate_entry_id
        if not accelerated or entry.state != "queued":
            return
        pool = entry.pool_id.sudo()
        undo_key = idempotency_key(f"rebate_unaccelerate{level}", line, refund_source)
        if pool._rebate_key_exists(undo_key):
            return
        entry._lock_for_refund()
        if entry.state != "queued":
            return
        digits = pool.currency_id.decimal_places
        undone = pool._rebate_reversed_total(accelerated)
        amount = min(reversal_amount(to_decimal(accelerated.amount), undone, to_decimal(refunded), digits),
                     money_half_up(to_decimal(entry.released_amount) - to_decimal(entry.clawed_back_amount), digits))
        if amount <= 0:
            return
        cash = money_half_up(to_decimal(entry.wallet_id.cash_balance), digits)
        # A take-back cannot be refused (it pays the rebate pool, and may leave a debt), so the entry changes now.
        entry.write({
            "released_amount": float(money_half_up(to_decimal(entry.released_amount), digits) - amount),
            "remaining": float(money_half_up(to_decimal(entry.remaining), digits) + amount),
        })
        pool._record_rebate_rows([{
            "event": "rebate_clawback", "amount": amount, "rebate": amount, "cash": -amount,
            "debt": debt_growth(cash, -amount), "wallet": entry.wallet_id, "entry": entry, "source": refund_source,
            "key": undo_key, "reversal_of": accelerated, "memo": pool._points_in_staff_lang().env._(
                "Acceleration undone by the refund %s", refund_source.display_name),
        }], key=undo_key)

    def _refund(self, pool, refunded, refund_source):
        """Cancels the refunded share of the entry: what waits leaves the queue, what was released is taken back.

        What an accelerated release not applied yet holds on the entry is neither cancelled nor
        taken back by this refund (the pool may still pay it or refuse it); a later refund of the
        line takes its share back, since shares are computed from the refunded total.
        """
        self.ensure_one()
        key = self._reversal_key("rebate_clawback", refund_source)
        if pool._rebate_key_exists(key):
            return
        self._lock_for_refund()
        digits = pool.currency_id.decimal_places
        amount, released, cancelled, clawed_back, held = [money_half_up(to_decimal(value), digits) for value in (
            self.amount, self.released_amount, self.cancelled_amount, self.clawed_back_amount, self.pending_release)]
        effect = refund_entry(amount, released + held, cancelled, clawed_back, to_decimal(refunded), digits)
        clawback = min(effect.clawback, released - clawed_back)
        if not effect.cancelled and clawback <= 0:
            return
        cancelled += effect.cancelled
        clawed_back += clawback
        remaining = amount - released - cancelled
        vals = {"cancelled_amount": float(cancelled), "clawed_back_amount": float(clawed_back),
                "remaining": float(remaining), "reversed_amount": float(cancelled + clawed_back),
                "reversed_ratio": float(max(to_decimal(self.reversed_ratio), to_decimal(refunded)))}
        if remaining <= 0:
            vals["state"] = "released" if released > clawed_back else "cancelled"
        # A take-back cannot be refused (it pays the rebate pool, and may leave a debt), so the entry changes now.
        self.write(vals)
        if clawback > 0:
            cash = money_half_up(to_decimal(self.wallet_id.cash_balance), digits)
            pool._record_rebate_rows([{
                "event": "rebate_clawback", "amount": clawback, "rebate": clawback, "cash": -clawback,
                "debt": debt_growth(cash, -clawback), "wallet": self.wallet_id, "entry": self, "source": refund_source,
                "key": key, "memo": refund_source.display_name,
            }], key=key)

    # -- actions -----------------------------------------------------------------------------------
    def action_open_ledger(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_pool.points_ledger_action")
        action["domain"] = [("rebate_entry_id", "=", self.id)]
        return action


    # -- demo ---------------------------------------------------------------------------------------
    @api.model
    def _demo_setup(self, ids):
        """Demo: the rebate product uses the rebate plan with a 30+5-day lock; the rebate pool gets 10,000.00."""
        product_id, plan_id = ids
        company = self.env.ref("base.main_company")
        template = self.env["product.product"].browse(product_id).product_tmpl_id.with_company(company)
        template.write({"points_plan_id": plan_id, "points_rebate_lock_days": 30, "points_rebate_extra_days": 5})
        pool = self.env["points.pool"].sudo()._get_for_company(company)
        if not pool.rebate_balance:
            pool.rebate_inject(10000.0, _("Demo: initial funding of the rebate pool"))

