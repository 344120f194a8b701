import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, format_amount

from odoo.addons.points_engine.rounding import money_half_up, to_decimal
from odoo.addons.points_engine.sequencer import Account, Sequencer
from odoo.addons.points_pool.keys import idempotency_key

_logger = logging.getLogger(__name__)

#: States of a paid order: its points may move.
PAID_STATES = ("paid", "done", "invoiced")
#: Fields only the server writes: values a POS client sends for them are dropped.
SERVER_FIELDS = (
    "points_sync_key", "points_earned", "points_used", "points_reversed", "points_restored", "points_balance",
    "points_pending", "points_price", "points_balance_value",
    "points_pickup_verified_at", "points_pickup_verified_by_id",
)


class PosOrder(models.Model):
    _name = "pos.order"
    _inherit = ["pos.order", "points.order.mixin"]

    points_pickup_point_id = fields.Many2one(
        "res.partner", string="Pickup Point", domain=[("points_is_service_point", "=", True)],
        index="btree_not_null", copy=False, help="Service point where the customer collects the order.")
    points_pickup_verified_at = fields.Datetime("Pickup Verified On", readonly=True, copy=False)
    points_pickup_verified_by_id = fields.Many2one("res.users", "Pickup Verified By", readonly=True, copy=False)
    points_sync_key = fields.Char(
        "Points Key", readonly=True, copy=False,
        help="The order's uuid once its points moved: the points of one uuid move once, however often it syncs.")
    points_earned = fields.Float(digits=(16, 4), readonly=True, copy=False, help="Points minted to the customer.")
    points_used = fields.Float(digits=(16, 4), readonly=True, copy=False, help="Points that paid part of the order.")
    points_reversed = fields.Float(
        "Points Taken Back", digits=(16, 4), readonly=True, copy=False,
        help="Points taken back for the refunded lines of this order (those their purchase had earned).")
    points_restored = fields.Float(
        "Points Returned", digits=(16, 4), readonly=True, copy=False,
        help="Points given back to the customer by this refund for what the refunded lines were paid with points.")
    points_balance = fields.Float(
        "Points Balance", digits=(16, 4), readonly=True, copy=False,
        help="The customer's points once the pool applied the order.")
    points_price = fields.Float(
        "Point Price After", digits=(16, 6), readonly=True, copy=False,
        help="The point price once the pool applied the order (printed on the receipt).")
    points_balance_value = fields.Monetary(
        "Points Balance Value", readonly=True, copy=False,
        help="What the customer's points pay once the pool applied the order: the redeem value at the point "
             "price after it, rounded down as the pool pays it (the figure the POS shows as their worth).")
    points_pending = fields.Boolean(
        "Points Pending", readonly=True, copy=False,
        help="The profit pool has not applied all the order's points yet (usually a fraction of a second): "
             "the points figures are filled in once it has.")

    _sql_constraints = [
        ("points_sync_key_uniq", "unique(points_sync_key)", "The points of a POS order move once per order uuid."),
    ]

    # -- synchronisation from the POS --------------------------------------------------
    @api.model
    def _process_order(self, order, existing_order):
        for name in SERVER_FIELDS:
            order.pop(name, None)
        return super()._process_order(order, existing_order)

    def _process_saved_order(self, draft):
        if not draft and self.state != "cancel":
            # Odoo logs and swallows errors of action_pos_order_paid; refused here, the error reaches
            # the cashier and the whole synchronisation rolls back: nothing is paid.
            self._points_check_payments()
        order_id = super(PosOrder, self.with_context(points_pos_deferred=True))._process_saved_order(draft)
        self._points_process()
        return order_id

    def action_pos_order_paid(self):
        # Orders paid in the back office (payment wizard) move their points here, for who may change the order.
        self.check_access("write")
        deferred = self.env.context.get("points_pos_deferred")
        if not deferred:
            self._points_check_payments()
        result = super().action_pos_order_paid()
        if not deferred:
            self._points_process()
        return result

    # -- points --------------------------------------------------------------------------
    def _points_store(self):
        return self.config_id.points_merchant_id

    def _points_pickup_point(self):
        return self.points_pickup_point_id

    def _points_delivery_date(self):
        # Handed over at the counter, or at the pickup point once the pickup is verified.
        if self._points_pickup_point():
            return self.points_pickup_verified_at or False
        return self.date_order

    def _points_pool(self):
        return self.env["points.pool"].sudo()._get_for_company(self.company_id)

    @api.model
    def _points_member_for(self, partner, company):
        """The member earning and paying for ``partner`` in ``company``, or an empty recordset."""
        member = partner.commercial_partner_id
        if not member or not member.active or (member.company_id and member.company_id != company):
            return self.env["res.partner"]
        wallet = self.env["points.wallet"].sudo()._get_for_partner(member, company, create=False)
        if wallet.state == "blocked":
            return self.env["res.partner"]
        return member

    def _points_earning_lines(self):
        special = self.env["pos.config"]._get_special_products()
        return self.lines.filtered(lambda line: not line.refunded_orderline_id and line.product_id
                                   and line.product_id not in special
                                   and line.qty > 0 and line.currency_id.compare_amounts(line.price_subtotal, 0) > 0)

    def _points_refund_lines(self):
        return self.lines.filtered(lambda line: line.refunded_orderline_id and line.qty < 0)

    def _points_payments(self):
        return self.payment_ids.filtered(lambda payment: payment.payment_method_id.points_payment).sorted("id")

    def _points_check_payments(self):
        """Points each Points payment reserves, in order; refuses the order if the customer cannot pay.

        Takes the member's reservation lock (never the pool's): another order of the same member
        paying at once waits for this transaction, then sees what this one reserved.
        """
        self.ensure_one()
        if self.points_sync_key:
            return {}
        # A refund gives back as points what the refunded lines were paid with points, never money.
        self._points_restore_plan()
        payments = self._points_payments().filtered(lambda payment: payment.currency_id.compare_amounts(
            payment.amount, 0) > 0)
        if not payments:
            return {}
        partner = self.partner_id.commercial_partner_id
        if not partner:
            raise UserError(_("Choose the customer whose points pay order %s.", self.name))
        member = self._points_member_for(partner, self.company_id)
        if not member:
            raise UserError(_("%s cannot pay with points in this company (blocked or inactive member).",
                              partner.display_name))
        pool = self._points_pool()
        wallet = self.env["points.wallet"].sudo()._get_for_partner(member, self.company_id, create=False)
        available = wallet._lock_reservations()._available_points() if wallet else to_decimal(0)
        engine = pool._engine()
        redeems = {}
        for payment in payments:
            if not payment.currency_id.compare_amounts(payment.amount, 0):
                continue
            # At today's price: the most the payment can need, since the price never falls.
            points = pool._points_for_amount(payment.amount, engine)
            if points is None or points > available:
                value = format_amount(self.env, float(pool._redeem_value(available, engine)), self.currency_id)
                raise UserError(_(
                    "%(partner)s holds %(held)s points, worth %(value)s: not enough for the Points payment of "
                    "%(amount)s, which needs %(points)s points.",
                    partner=member.display_name, held="%.4f" % available, value=value,
                    amount=format_amount(self.env, payment.amount, self.currency_id),
                    points="%.4f" % points if points is not None else "-"))
            available -= points
            redeems[payment] = points
        return redeems

    def _points_restore_plan(self):
        """What the refund's negative Points payments give back: {payment: [(redemption, amount)]}.

        The refunded lines' share of what their order paid with points (pro rata to the amounts
        refunded, cumulative over that order's refunds, so that partial refunds add up to the whole)
        must go back as points, no more and no less: otherwise the order is refused.
        """
        self.ensure_one()
        refunded = {}
        for line in self._points_refund_lines():
            original = line.refunded_orderline_id
            refunded[original] = refunded.get(original, to_decimal(0)) - to_decimal(line.price_subtotal_incl)
        parts = self._points_restorable(refunded, exclude=self) if refunded else []
        due = sum((amount for _redemption, amount in parts), to_decimal(0))
        payments = self._points_payments().filtered(
            lambda payment: payment.currency_id.compare_amounts(payment.amount, 0) < 0)
        paid_back = -sum((to_decimal(payment.amount) for payment in payments), to_decimal(0))
        paid_back = money_half_up(paid_back, self.currency_id.decimal_places)
        amount = lambda value: format_amount(self.env, float(value), self.currency_id)  # noqa: E731
        compare = self.currency_id.compare_amounts(float(paid_back), float(due))
        if compare > 0:
            if not due:
                raise UserError(_("Points cannot be paid back: the lines refunded by order %s were not paid with "
                                  "points. Refund them with another payment method.", self.name))
            raise UserError(_("Order %(order)s gives back %(amount)s as points, more than the %(due)s its refunded "
                              "lines were paid with points.", order=self.name, amount=amount(paid_back),
                              due=amount(due)))
        if compare < 0:
            raise UserError(_("The lines refunded by order %(order)s were paid with points: give back %(due)s with "
                              "the Points payment method, not as money (%(amount)s given back as points).",
                              order=self.name, due=amount(due), amount=amount(paid_back)))
        plan, parts = {}, [list(part) for part in parts]
        for payment in payments:
            left = -to_decimal(payment.amount)
            for part in parts:
                take = min(left, part[1])
                if take > 0:
                    plan.setdefault(payment, []).append((part[0], take))
                    part[1] -= take
                    left -= take
        return plan

    @api.model
    def _points_restorable(self, refunded, exclude=None):
        """[(redemption request, amount)]: what refunding ``refunded`` ({original pos.order.line: amount
        refunded, taxes included}) gives back as points, pro rata to what each original order paid with points.

        Cumulative per original order: the refunds before (paid ones, other than ``exclude``) and this one
        together give back their share of the points payment, rounded once, and never more than it paid.
        """
        result = []
        lines = self.env["pos.order.line"].browse([line.id for line in refunded])
        for original in lines.order_id:
            pool = original._points_pool()
            digits = original.currency_id.decimal_places
            redemptions = self.env["points.pool.request"].sudo()
            for payment in original._points_payments():
                redemptions |= pool._existing_request("redeem", payment)
            if not redemptions:
                continue
            if any(redemption.state == "pending" for redemption in redemptions):
                raise UserError(_("The points that paid order %s are not applied yet: try again in a moment.",
                                  original.name))
            redemptions = redemptions.filtered(lambda redemption: redemption.state == "applied")
            paid = sum((to_decimal(redemption.ledger_id.amount) for redemption in redemptions), to_decimal(0))
            total = to_decimal(original.amount_total)
            if paid <= 0 or total <= 0:
                continue
            before = sum((-to_decimal(line.price_subtotal_incl) for line in original.lines.refund_orderline_ids
                          if line.order_id != exclude and line.order_id.state in PAID_STATES), to_decimal(0))
            now = sum((amount for line, amount in refunded.items() if line.order_id == original), to_decimal(0))
            target = min(money_half_up(paid * min(before + now, total) / total, digits), paid)
            restores = self.env["points.pool.request"].sudo().search([
                ("original_id", "in", redemptions.ids), ("kind", "=", "restore"), ("state", "!=", "refused")])
            if exclude:
                restores = restores.filtered(lambda restore: not (
                    restore.source_model == "pos.payment" and restore.source_id in exclude.payment_ids.ids))
            due = target - sum((money_half_up(to_decimal(restore.amount), digits) for restore in restores),
                               to_decimal(0))
            for redemption in redemptions:
                left = min(due, pool._restorable_amount(redemption))
                if left > 0:
                    result.append((redemption, left))
                    due -= left
        return result

    @api.model
    def points_refund_preview_from_ui(self, config_id, lines):
        """What a refund gives back as points (the POS proposes it as a negative Points payment).

        ``lines``: dicts with ``refunded_orderline_id`` and ``amount`` (the refunded amount with taxes, positive).
        """
        self._points_check_pos_user()
        config = self.env["pos.config"].browse(config_id)
        config.check_access("read")
        refunded = {}
        for values in lines:
            line = self.env["pos.order.line"].browse(values.get("refunded_orderline_id") or []).exists()
            if line and line.order_id.company_id == config.company_id:
                refunded[line] = refunded.get(line, to_decimal(0)) + money_half_up(
                    to_decimal(values.get("amount") or 0), config.currency_id.decimal_places)
        try:
            parts = self.sudo()._points_restorable(refunded) if refunded else []
        except UserError as error:
            return {"amount": 0.0, "error": str(error)}
        return {"amount": float(sum((amount for _redemption, amount in parts), to_decimal(0))), "error": False}

    def _points_process(self):
        """Moves the points of paid orders, once per order uuid: redeem, then earn, then reverse refunds.

        Each movement is a request to the pool; the order's figures are stored once the pool
        applied them all, at once when it is free, else by :meth:`_points_store_figures` called
        from the pool's sequencer.
        """
        processed = []
        # One drain (and one journal entry) for all the orders' requests, not one per request.
        with self.env["points.pool"]._applying_together():
            for order in self:
                member = order._points_request_movements()
                if member is not False:
                    processed.append((order, member))
        for order, member in processed:
            order._points_store_figures(member)._points_settle()

    def _points_request_movements(self):
        """Records the pool requests of a paid order; returns its member (maybe none), or False if it has none."""
        self.ensure_one()
        Allocation = self.env["points.allocation"]
        if self.state not in PAID_STATES or self.points_sync_key:
            return False
        redeems = self._points_check_payments()
        restores = self._points_restore_plan()
        member = self._points_member_for(self.partner_id, self.company_id)
        earning = self._points_earning_lines() if member else self.lines.browse()
        refunds = self._points_refund_lines().filtered(
            lambda line: Allocation._for_lines(line.refunded_orderline_id))
        if not (redeems or restores or earning or refunds):
            return False
        if not self._points_claim_key():
            return False
        pool = self._points_pool()
        for payment, points in redeems.items():
            # Pays exactly the amount at the price of its turn; what it does not need stays with the member.
            pool.redeem(member, float(points), source=payment, amount=payment.amount)
        for payment, parts in restores.items():
            # The points part of a refund goes back as points, to the wallet that paid with them.
            for redemption, amount in parts:
                pool.restore(None, amount, payment, original=redemption)
        # The part paid with points earns nothing unless the pool says so: the lines' basis shrinks pro rata.
        share = pool._earning_share(sum(payment.amount for payment in redeems), self.amount_total)
        for line in earning:
            values = self._points_line_values(self.config_id, line.product_id, line.qty, line.price_subtotal)
            values = self._points_scaled_line_values(values, share)
            if not values:
                continue
            rows = Allocation._allocate(line, order=self, partner=member, date=self.date_order, **values)
            rows._on_paid()
        for line in refunds:
            Allocation._for_lines(line.refunded_orderline_id)._reverse(line._points_refund_ratio(), line)
        return member

    def _points_requests(self):
        """The pool requests of the order: redeems of its Points payments, contributions of its lines and
        reversals of its refund lines."""
        self.ensure_one()
        pool = self._points_pool()
        Allocation = self.env["points.allocation"]
        requests = Allocation._for_lines(self.lines).contribution_request_id
        for payment in self._points_payments():
            requests |= pool._existing_request("redeem", payment)
        requests |= self.env["points.pool.request"].sudo().search([
            ("pool_id", "=", pool.id), ("kind", "=", "restore"), ("source_model", "=", "pos.payment"),
            ("source_id", "in", self._points_payments().ids)]) if self._points_payments() else requests.browse()
        for line in self._points_refund_lines():
            for original in Allocation._for_lines(line.refunded_orderline_id).contribution_request_id:
                requests |= pool._existing_request("reverse", line, original=original)
        return requests

    def _points_store_figures(self, member=None):
        """Stores the points the order used, earned and returned, read from its applied requests' ledger rows;
        returns the orders whose figures are final.

        While the pool has not applied them all, the order is only marked pending. A refused
        request moved nothing: it is noted in the order's chatter for the staff to follow up.
        """
        done = self.browse()
        for order in self:
            requests = order._points_requests()
            if any(request.state == "pending" for request in requests):
                if not order.points_pending:
                    order.points_pending = True
                continue
            done |= order

            def total(kind, requests=requests):
                return sum(requests.filtered(lambda request: request.kind == kind).ledger_id.mapped("points_delta"))

            wallet = requests.wallet_id[:1]
            if not wallet and member:
                wallet = self.env["points.wallet"].sudo()._get_for_partner(member, order.company_id, create=False)
            pool = self.env["points.pool"].sudo()._get_for_company(order.company_id)
            engine = pool._engine()
            order.write({
                "points_used": -total("redeem"),
                "points_earned": total("contribute"),
                "points_reversed": -total("reverse"),
                "points_restored": total("restore"),
                "points_balance": wallet.points,
                "points_price": float(engine.display_price),
                "points_balance_value": float(pool._redeem_value(wallet.points, engine)),
                "points_pending": False,
            })
            for request in requests.filtered(lambda request: request.state == "refused"):
                staff = order._points_in_staff_lang()
                staff._message_log(body=staff.env._("The profit pool refused %(request)s, so its points did not move: "
                                                    "%(reason)s", request=request.display_name,
                                                    reason=request.refusal_reason))
        return done

    def _points_settle(self):
        """The redeem credits of the orders' Points payments settle what they pay: the invoice's receivable,
        or the closing entry of a session closed before the pool applied them."""
        for order in self:
            if order.account_move:
                order._points_reconcile_invoice()
            elif order.session_id.move_id:
                order.session_id._points_reconcile_redeems()

    @api.model
    def _points_orders_of(self, requests):
        """Orders waiting for their figures whose requests are among ``requests`` (one query: it runs
        inside the pool's sequencer)."""
        payment_ids = [request.source_id for request in requests
                       if request.kind in ("redeem", "restore") and request.source_model == "pos.payment"]
        line_ids = [request.source_id for request in requests
                    if request.kind in ("contribute", "reverse") and request.source_model == "pos.order.line"]
        if not (payment_ids or line_ids):
            return self.browse()
        return self.sudo().search([("points_pending", "=", True), "|", ("payment_ids", "in", payment_ids),
                                   ("lines", "in", line_ids)])

    def _points_claim_key(self):
        """Marks the order's uuid as processed; False when another order of this uuid already moved points."""
        self.ensure_one()
        key = self.uuid or idempotency_key(self._name, self.id)
        other = self.search([("points_sync_key", "=", key), ("id", "!=", self.id)], limit=1)
        if other:
            _logger.warning("POS order %s: the points of uuid %s already moved with order %s", self.id, key, other.id)
            return False
        self.points_sync_key = key
        # A concurrent transaction processing the same uuid now waits on the unique index and then fails,
        # before either moves a point.
        self.flush_recordset(["points_sync_key"])
        return True

    @api.model
    def _points_line_values(self, config, product, quantity, amount):
        """Arguments of points.allocation._allocate for a line of ``config``; the preview splits with the same."""
        return {
            "product": product, "quantity": quantity, "amount": amount, "company": config.company_id,
            "cost": product.standard_price * quantity, "take_rate": config.points_take_rate,
        }

    def _points_scaled_line_values(self, values, share):
        """``values`` of :meth:`_points_line_values` for the ``share`` of the line that earns points (amount and
        cost pro rata); None when nothing of it earns."""
        if share >= 1:
            return values
        digits = self.currency_id.decimal_places if self else self.env.company.currency_id.decimal_places
        amount = money_half_up(to_decimal(values["amount"]) * share, digits)
        if amount <= 0:
            return None
        return dict(values, amount=float(amount), cost=float(to_decimal(values["cost"]) * share))

    def _points_redeem_rows(self):
        """Ledger rows of the orders' Points payments: redemptions (credit the receivable) and, for refunds,
        the points given back (debit it)."""
        return self.env["points.ledger"].sudo().search([
            ("event", "in", ("redeem", "restore")), ("source_model", "=", "pos.payment"),
            ("source_id", "in", self._points_payments().ids)])

    def _apply_invoice_payments(self, is_reverse=False):
        payment_moves = super()._apply_invoice_payments(is_reverse=is_reverse)
        # An order invoiced after its points moved (from the back office): settle the invoice with them.
        if not is_reverse:
            for order in self.filtered("points_sync_key"):
                order._points_reconcile_invoice()
        return payment_moves

    def _points_reconcile_invoice(self):
        """An invoiced order paid with points: the redeem credits settle the invoice's receivable."""
        self.ensure_one()
        invoice = self.account_move
        redeemed = self._points_redeem_rows() if invoice else self.env["points.ledger"]
        if not redeemed or invoice.state != "posted":
            return
        # Invoiced after its payment: the redeem that waited for the session's closing no longer waits.
        for pool, rows in redeemed.filtered(lambda row: not row.move_id).grouped("pool_id").items():
            pool._post_due_rows(rows)
        partner = invoice.commercial_partner_id
        account = partner.with_company(self.company_id).property_account_receivable_id
        if not account.reconcile:
            return
        (invoice.line_ids | redeemed.move_id.line_ids).filtered(
            lambda line: line.account_id == account and line.partner_id.commercial_partner_id == partner
            and not line.reconciled).reconcile()

    # -- preview for the POS screen ------------------------------------------------------
    @api.model
    def points_preview_from_ui(self, config_id, partner_id, lines, points_amount=0.0):
        """What the POS shows for a customer: points held, their value, the price, and what the order
        earns and spends, computed as the validation will (redeem first, then one contribution per line).

        ``lines``: dicts with ``product_id``, ``qty`` and ``price_subtotal`` (untaxed). Nothing is stored.
        """
        self._points_check_pos_user()
        config = self.env["pos.config"].browse(config_id)
        config.check_access("read")
        company = config.company_id
        pool = self.env["points.pool"].sudo()._get_for_company(company)
        engine = pool._engine()
        result = {
            "member": False, "price": float(engine.display_price), "points": 0.0, "value": 0.0, "payable": 0.0,
            "earn": 0.0, "contribution": 0.0, "points_to_use": 0.0, "error": False,
        }
        partner = self.env["res.partner"].browse(partner_id or []).exists()
        member = self._points_member_for(partner, company) if partner else partner
        if not member:
            return result
        wallet = self.env["points.wallet"].sudo()._get_for_partner(member, company, create=False)
        held = to_decimal(wallet.points)
        # Points reserved by the member's payments the pool has not applied yet cannot pay again.
        available = wallet._available_points() if wallet else held
        result.update(member=True, points=float(held), value=float(pool._redeem_value(held, engine)),
                      payable=float(pool._redeem_value(available, engine)))
        if float_compare(points_amount or 0.0, 0.0, precision_digits=2) > 0:
            amount = money_half_up(to_decimal(points_amount), company.currency_id.decimal_places)
            points = pool._points_for_amount(amount, engine)
            if points is None or points > available:
                value = format_amount(self.env, result["payable"], company.currency_id)
                amount = format_amount(self.env, points_amount, company.currency_id)
                result["error"] = _("%(partner)s's points (%(held)s, worth %(value)s) cannot pay %(amount)s.",
                                    partner=member.display_name, held="%.4f" % available, value=value, amount=amount)
            else:
                # The redemption as the pool's sequencer applies it, so that the earning below starts
                # from the same pool (the member's own forced exit included).
                sequencer = Sequencer(engine)
                sequencer.redeem_amount(sequencer.add(Account(id=wallet.id, cycle=wallet._engine_cycle())), amount)
                result["points_to_use"] = float(points)
        Plan = self.env["points.allocation.plan"].sudo()
        special = self.env["pos.config"]._get_special_products()
        earned = contribution = to_decimal(0)
        # As at validation: the part of the order paid with points earns nothing unless the pool says so.
        total = sum(to_decimal(line.get("price_subtotal_incl", line.get("price_subtotal")) or 0) for line in lines)
        share = pool._earning_share(result["points_to_use"] and points_amount, total)
        for line in lines:
            product = self.env["product.product"].browse(line.get("product_id") or []).exists()
            amount = money_half_up(to_decimal(line.get("price_subtotal") or 0), company.currency_id.decimal_places)
            quantity = line.get("qty") or 0.0
            if not product or product in special or quantity <= 0 or amount <= 0:
                continue
            values = self.browse()._points_scaled_line_values(
                self._points_line_values(config, product, quantity, float(amount)), share)
            if not values:
                continue
            plan = Plan._get_for_product(product, company)
            split = plan._split(to_decimal(values["amount"]), to_decimal(quantity), cost=to_decimal(values["cost"]),
                                take_rate=to_decimal(values["take_rate"]))
            if split.get("pool"):
                ratio = self.env["points.allocation"]._mint_ratio_for(config.points_merchant_id, product, company)
                earned += engine.contribute(split["pool"], mint_ratio=ratio).points
                contribution += split["pool"]
        result.update(earn=float(earned), contribution=float(contribution))
        return result

    # -- pickup at a service point -------------------------------------------------------
    @api.model
    def _points_find_for_pickup(self, reference):
        """The order a scanned or typed reference names: its receipt reference, its name or its uuid."""
        reference = (reference or "").strip()
        if not reference:
            raise UserError(_("Scan or type the order's reference."))
        orders = self.search(["|", "|", "|", ("pos_reference", "=", reference),
                              ("pos_reference", "=like", "% " + reference.replace("%", "").replace("_", r"\_")),
                              ("name", "=", reference), ("uuid", "=", reference)], limit=2)
        if not orders:
            raise UserError(_("No order matches %s.", reference))
        if len(orders) > 1:
            raise UserError(_("Several orders match %s: scan the receipt's barcode or type the full reference.",
                              reference))
        return orders

    def _points_verify_pickup(self):
        """Records, once, that the customer collected the order at its pickup point."""
        self.ensure_one()
        self._points_check_pos_user()
        # Two cashiers scanning the same receipt: the second waits here, then sees the first verification.
        self.env.cr.execute(SQL("SELECT id FROM pos_order WHERE id = %s FOR UPDATE", self.id))
        self.invalidate_recordset(["points_pickup_verified_at", "points_pickup_verified_by_id", "state"])
        if not self.points_pickup_point_id:
            raise UserError(_("Order %s has no pickup point.", self.pos_reference or self.name))
        self.points_pickup_point_id._points_check_pickup_verifier()
        if self.state not in PAID_STATES:
            raise UserError(_("Order %s is not paid: its pickup cannot be verified.", self.pos_reference or self.name))
        if self.points_pickup_verified_at:
            raise UserError(_("The pickup of order %(order)s was already verified on %(date)s by %(user)s.",
                              order=self.pos_reference or self.name,
                              date=fields.Datetime.context_timestamp(self, self.points_pickup_verified_at)
                              .strftime("%Y-%m-%d %H:%M"),
                              user=self.points_pickup_verified_by_id.name))
        self.write({"points_pickup_verified_at": fields.Datetime.now(), "points_pickup_verified_by_id": self.env.uid})
        staff = self._points_in_staff_lang()
        staff.message_post(body=staff.env._("Pickup verified at %s.", self.points_pickup_point_id.display_name))
        # The cashier's POS rights authorise the verification; reward modules pay the service point from here.
        self.env["points.allocation"].sudo()._on_pickup_verified(self, self.points_pickup_point_id)
        return True

    @api.model
    def _points_check_pos_user(self):
        """The POS calls of the suite act for a cashier: they need the Point of Sale user group."""
        if not self.env.su and not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(_("Only Point of Sale users may do this."))

    @api.model
    def points_verify_pickup_from_ui(self, reference):
        self._points_check_pos_user()
        order = self._points_find_for_pickup(reference)
        order._points_verify_pickup()
        return {
            "order": order.pos_reference or order.name,
            "pickup_point": order.points_pickup_point_id.display_name,
            "customer": order.partner_id.display_name or "",
        }

    def action_points_verify_pickup(self):
        for order in self:
            order._points_verify_pickup()
        return True


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    def _points_refund_ratio(self):
        """Share of the refunded line this refund line takes back; the last refund takes what is left."""
        self.ensure_one()
        original = self.refunded_orderline_id
        refunded = sum(-line.qty for line in original.refund_orderline_ids if line.order_id.state in PAID_STATES)
        if float_compare(refunded, original.qty, precision_rounding=original.product_uom_id.rounding) >= 0:
            return 1.0
        return min(-self.qty / original.qty, 1.0)
