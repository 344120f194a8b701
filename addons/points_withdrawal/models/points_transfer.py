from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.points_engine.cycle import Cycle
from odoo.addons.points_engine.rounding import money_half_up, points_down, to_decimal
from odoo.addons.points_pool.exceptions import refusal


class PointsTransfer(models.Model):
    """Cash balance or points sent by one member to another (when the pool allows transfers).

    Both sides are one request to the pool's sequencer, applied together or not at all: what
    the sender gives is reserved when the transfer is asked for, and the sequencer refuses
    the request (moving nothing) if the sender's cash or points are gone at its turn.
    Cash moves from the sender's to the recipient's wallet payable. Points move at the
    pool's price without fee: the pool's balance, circulating points and price do not
    change; the sender's holding falls and the recipient's rises while neither's cycle
    spend or realized value changes, so both exit prices are recomputed and the sequencer's
    forced-exit check runs at once. A transfer that would make the recipient's cycle due
    (for instance one with no spend in the current cycle) is refused, saying how many points
    they may still receive: points cannot be parked with a member who has no cap, and a
    transfer never turns silently into a forced sale. The sender's exit price rises (fewer
    points to reach the same cap), so the sender never becomes due by sending.
    """

    _name = "points.transfer"
    _description = "Wallet Transfer"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: _("New"))
    sender_id = fields.Many2one("res.partner", "Sender", required=True, readonly=True, index=True,
                                ondelete="restrict")
    recipient_id = fields.Many2one("res.partner", "Recipient", required=True, readonly=True, index=True,
                                   ondelete="restrict")
    sender_wallet_id = fields.Many2one("points.wallet", required=True, readonly=True, ondelete="restrict")
    recipient_wallet_id = fields.Many2one("points.wallet", required=True, readonly=True, ondelete="restrict")
    pool_id = fields.Many2one("points.pool", required=True, readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="pool_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="pool_id.currency_id")
    kind = fields.Selection([("cash", "Cash balance"), ("points", "Points")], required=True, readonly=True)
    amount = fields.Monetary(readonly=True, help="Cash moved; for points, their value at the price of the transfer.")
    points = fields.Float(digits=(16, 4), readonly=True)
    price = fields.Float(digits=(16, 6), readonly=True, help="Point price at the time of the transfer.")
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    memo = fields.Char(readonly=True)
    requested_by = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    request_key = fields.Char(readonly=True, copy=False,
                              help="Key of the client's call: the same key returns the same transfer.")
    request_id = fields.Many2one(
        "points.pool.request", "Pool Request", readonly=True, copy=False, index="btree_not_null",
        ondelete="restrict", help="The profit pool request moving both sides.")
    state = fields.Selection(
        [("pending", "Pending"), ("applied", "Applied"), ("refused", "Refused")], string="Status",
        compute="_compute_state", search="_search_state",
        help="Pending: waiting for the profit pool (usually a fraction of a second). Refused: the sender's cash "
             "or points were gone at its turn; nothing moved.")
    refusal_reason = fields.Text(related="request_id.refusal_reason")
    ledger_ids = fields.One2many("points.ledger", "transfer_id")

    _sql_constraints = [
        ("request_key_uniq", "unique(sender_wallet_id, request_key)",
         "This request key was already used for this wallet."),
    ]

    @api.depends("request_id.state")
    def _compute_state(self):
        for transfer in self:
            # Transfers recorded before the pool's sequencer have no request: they moved at once.
            transfer.state = transfer.sudo().request_id.state or "applied"

    def _search_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        states = {value} if operator in ("=", "!=") else set(value)
        if operator in ("!=", "not in"):
            states = set(dict(self._fields["state"].selection)) - states
        domain = [("request_id.state", "in", sorted(states))]
        if "applied" in states:
            domain = ["|", ("request_id", "=", False)] + domain
        return domain

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("points.transfer") or _("New")
        return super().create(vals_list)

    def unlink(self):
        raise UserError(_("Transfers are history: they cannot be deleted."))

    # -- business methods (public service API) ---------------------------------------
    @api.model
    def _transfer(self, sender, recipient, cash=0, points=0, company=None, memo=None, request_key=None):
        """Moves ``cash`` or ``points`` from ``sender``'s wallet to ``recipient``'s; returns the transfer.

        Members may send from their own wallet only, Points Users for anyone. The same
        ``request_key`` returns the transfer it created first and changes nothing.
        """
        Withdrawal = self.env["points.withdrawal"]
        if not sender or not recipient:
            raise UserError(_("Choose the sender and the recipient."))
        sender.ensure_one()
        recipient.ensure_one()
        Withdrawal._check_acting_for(sender)
        company = Withdrawal._company_for_call(company)
        pool = self.env["points.pool"]._get_for_company(company)
        self._check_enabled(pool)
        if sender == recipient:
            raise UserError(_("A member cannot transfer to themselves."))
        # Only active members send and receive (not the company's own contact, a customer company, a contact
        # without a wallet): the rule of res.partner._check_points_member, the same as for referral binding.
        sender._check_points_member(company)
        recipient._check_points_member(company)
        if (cash or 0) and (points or 0):
            raise UserError(_("Transfer either cash or points, not both at once."))
        if points:
            points, cash = pool._positive_points(points), None
            if pool.transfer_max_points and points > to_decimal(pool.transfer_max_points):
                raise UserError(_("One transfer may move at most %s points.", pool.transfer_max_points))
        else:
            cash = pool._positive_amount(cash, _("The amount to transfer must be positive, not %s.", cash))
            if pool.transfer_max_cash and cash > to_decimal(pool.transfer_max_cash):
                raise UserError(_("One transfer may move at most %s.",
                                  pool.currency_id.format(pool.transfer_max_cash)))
        Wallet = self.env["points.wallet"].sudo()
        sender_wallet = Wallet._get_for_partner(sender, company, create=False)
        if not sender_wallet:
            raise UserError(_("%s has no wallet to transfer from.", sender.display_name))
        # The sender's own requests wait for each other here (never for the pool): the second one sees the first.
        sender_wallet = sender_wallet._lock_reservations()
        if request_key:
            existing = self.sudo().search([("sender_wallet_id", "=", sender_wallet.id),
                                           ("request_key", "=", request_key)])
            if existing:
                return existing.with_env(self.env)
        sender_wallet._check_active()
        self._check_sender_holds(pool, sender_wallet, cash, points)
        if points:
            self._check_recipient_cap(pool, recipient, company, points)
        recipient_wallet = Wallet._get_for_partner(recipient, company, create=False)
        recipient_wallet._check_active()
        transfer = self.sudo().create({
            "sender_id": sender.id, "recipient_id": recipient.id, "sender_wallet_id": sender_wallet.id,
            "recipient_wallet_id": recipient_wallet.id, "pool_id": pool.id,
            "kind": "points" if points else "cash", "points": float(points or 0), "price": pool.price,
            "amount": float(cash if cash else money_half_up(pool._engine().value_of(points),
                                                            pool.currency_id.decimal_places)),
            "memo": memo or False, "requested_by": self.env.user.id, "request_key": request_key or False,
        })
        transfer._move(pool.sudo(), cash, points)
        return transfer.with_env(self.env)

    @api.model
    def _check_enabled(self, pool):
        if not pool.transfer_enabled:
            raise refusal("transfers_disabled", _("Transfers between members are not enabled."))

    @api.model
    def _check_sender_holds(self, pool, wallet, cash, points):
        """Refuses more than the sender may give now: what pending requests and open withdrawals reserve is not."""
        currency = pool.currency_id
        if points:
            wallet._check_available_points(points)
            return
        if wallet.debt:
            raise UserError(_("%(partner)s owes %(debt)s from a refund: transfers wait until it is paid.",
                              partner=wallet.partner_id.display_name, debt=currency.format(wallet.debt)))
        available = wallet._available_cash_now()
        if cash > available:
            raise UserError(_(
                "%(partner)s may transfer at most %(available)s now (cash balance %(cash)s, of which %(reserved)s "
                "is reserved by withdrawal requests and pending transfers; frozen rewards are not available).",
                partner=wallet.partner_id.display_name, available=currency.format(float(max(available, 0))),
                cash=currency.format(wallet.cash_balance), reserved=currency.format(wallet.reserved_balance)))

    @api.model
    def _check_member_holds(self, pool, wallet, cash=None, points=None):
        """Refuses, in the member's words, more ``cash`` or ``points`` (exact Decimal) than the member may send now
        from their own ``wallet`` (empty before their first points), before they confirm. Changes nothing."""
        if points:
            wallet._check_available_points(points, to_member=True)
        elif not wallet or cash > to_decimal(wallet.available_cash):
            raise refusal("insufficient_cash", _("You may send at most %s now.", pool.currency_id.format(
                wallet.available_cash if wallet else 0.0)))

    @api.model
    def _check_recipient_cap(self, pool, recipient, company, points):
        """Refuses points that would bring the recipient to their forced exit at once."""
        engine = pool._engine()
        multiple = to_decimal(pool.exit_multiple)
        wallet = self.env["points.wallet"].sudo()._get_for_partner(recipient, company, create=False)
        cycle = wallet._engine_cycle() if wallet else Cycle()
        if not Cycle(spend=cycle.spend, realized=cycle.realized, points=cycle.points + points).is_due(engine, multiple):
            return
        room = cycle.room_before_exit(engine, multiple)
        raise UserError(_(
            "%(partner)s would reach their forced exit with these points (spend in the current cycle %(spend)s, "
            "exit at %(multiple)s× that spend) and they would be sold at once: send fewer than %(room)s points.",
            partner=recipient.display_name, spend=pool.currency_id.format(float(cycle.spend)),
            multiple=pool.exit_multiple, room=points_down(room)))

    def _move(self, pool, cash, points):
        """Both sides in one request to the sequencer, the sender's entry without overdraft; returns the request.

        What the sender gives stays reserved until the request is applied; the sequencer runs
        the forced-exit check after the points move.
        """
        self.ensure_one()
        common = {"source": self, "amount": cash or 0, "memo": self.memo}
        if points:
            common.update(amount=0, gross=self.amount)
        request = pool._record_wallet_rows([
            dict(common, event="transfer_out", wallet=self.sender_wallet_id.sudo(),
                 cash=-(cash or 0), points=-(points or 0), overdraft=False),
            dict(common, event="transfer_in", wallet=self.recipient_wallet_id.sudo(),
                 cash=cash or 0, points=points or 0),
        ], wallet=self.sender_wallet_id.sudo(), reserved_cash=cash or 0, reserved_points=points or 0,
            key=pool._source_key("transfer", self))
        self.sudo().request_id = request
        return request
