from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.points_engine import Pool, PoolParams
from odoo.addons.points_engine.pool import EngineError
from odoo.addons.points_engine.rounding import money_half_up, points_down, to_decimal

from ..exceptions import refusal
from ..keys import idempotency_key


class PointsPool(models.Model):
    _name = "points.pool"
    _description = "Profit Pool"
    _inherit = ["mail.thread"]
    _check_company_auto = True

    name = fields.Char(required=True, default=lambda self: _("Profit Pool"), translate=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    balance = fields.Monetary(compute="_compute_balances", help="Money in the pool (P).")
    circulating_points = fields.Float(digits=(16, 4), compute="_compute_balances",
                                      help="Points held by members (N).")
    last_price = fields.Float(
        digits=(16, 8), compute="_compute_balances",
        help="Price used while no points circulate: the initial price, then the last price.")
    price = fields.Float(digits=(16, 6), compute="_compute_balances", help="Pool balance divided by circulating points.")
    applied_count = fields.Integer(compute="_compute_balances",
                                   help="Requests the pool's sequencer has applied or refused.")
    mint_ratio = fields.Float("Mint Ratio", digits=(5, 4), default=0.70, required=True, tracking=True,
                              help="Share of each contribution minted as points for the buyer.")
    sell_fee_rate = fields.Float("Sell Fee", digits=(5, 4), default=0.20, required=True, tracking=True,
                                 help="Share of a sale's value that stays in the pool.")
    exit_multiple = fields.Float("Forced-Exit Multiple", digits=(6, 2), default=3.0, required=True, tracking=True,
                                 help="A member is forced out when the value got reaches this multiple of the "
                                      "cycle's spend. 0 turns forced exits off.")
    initial_price = fields.Float(digits=(16, 6), default=1.0, required=True, tracking=True)
    redeem_fee_rate = fields.Float("Redeem Fee", digits=(5, 4), default=0.0, required=True, tracking=True,
                                   help="Share of the value kept in the pool when points pay for goods.")
    mint_cap = fields.Float("Mint Cap per Order", digits=(16, 4), tracking=True, help="Most points one order may mint; 0 means no cap.")
    min_sell_amount = fields.Monetary("Minimum Sale", tracking=True, help="Smallest value a member may sell at once; 0 means none.")
    min_lifetime_spend = fields.Monetary(
        "Spend Before Selling", tracking=True, help="Lifetime spend a member needs before selling points; 0 means none.")

    points_paid_earns = fields.Boolean(
        "Points Payments Earn Points", tracking=True,
        help="Off (default): the part of an order paid with points earns no points: it is taken out of the "
             "contribution basis of the order's lines, pro rata. On: the whole order earns, whatever paid it.")

    accounting_mode = fields.Selection(
        [("realtime", "One entry per event"), ("batch", "Entries in batches")], default="realtime", required=True,
        tracking=True,
        help="In batches, events wait for the scheduled action (or the Post Pending Entries button), which posts "
             "one entry for all of them; redemptions are always posted at once, as invoices reconcile with them.")
    pending_entry_count = fields.Integer(compute="_compute_counts", string="Events Waiting for Posting")
    journal_id = fields.Many2one("account.journal", check_company=True, tracking=True)

    pending_request_count = fields.Integer(compute="_compute_counts", string="Requests Waiting")
    wallet_ids = fields.One2many("points.wallet", "pool_id")
    ledger_ids = fields.One2many("points.ledger", "pool_id")
    wallet_count = fields.Integer(compute="_compute_counts")
    ledger_count = fields.Integer(compute="_compute_counts")

    _sql_constraints = [
        ("company_uniq", "unique(company_id)", "A company has one profit pool."),
    ]

    def _compute_balances(self):
        """Balances from the pool's balance row (see ``points.pool.state``), read as they are now."""
        columns = self._balance_columns()
        values = {}
        ids = [pool_id for pool_id in self.ids if isinstance(pool_id, int)]
        if ids:
            self.env["points.pool.state"].flush_model()
            self.env.cr.execute(SQL("SELECT pool_id, %s FROM points_pool_state WHERE pool_id = ANY(%s)",
                                    SQL(", ").join(SQL.identifier(name) for name in columns), ids))
            values = {row[0]: dict(zip(columns, row[1:])) for row in self.env.cr.fetchall()}
        for pool in self:
            state = values.get(pool.id, {})
            for name in columns:
                pool[name] = state.get(name) or (pool.initial_price if name == "last_price" else 0)
            pool.price = float(pool._engine().display_price)

    @api.model
    def _balance_columns(self):
        """Fields of ``points.pool`` kept on the pool's balance row; modules with balances of their own add theirs."""
        return ["balance", "circulating_points", "last_price", "applied_count"]

    def _compute_counts(self):
        wallets = dict(self.env["points.wallet"]._read_group([("pool_id", "in", self.ids)], ["pool_id"], ["__count"]))
        rows = dict(self.env["points.ledger"]._read_group([("pool_id", "in", self.ids)], ["pool_id"], ["__count"]))
        pending = dict(self.env["points.ledger"]._read_group(
            [("pool_id", "in", self.ids), ("move_id", "=", False)], ["pool_id"], ["__count"]))
        waiting = dict(self.env["points.pool.request"]._read_group(
            [("pool_id", "in", self.ids), ("state", "=", "pending")], ["pool_id"], ["__count"]))
        for pool in self:
            pool.pending_request_count = waiting.get(pool, 0)
            pool.wallet_count = wallets.get(pool, 0)
            pool.ledger_count = rows.get(pool, 0)
            pool.pending_entry_count = pending.get(pool, 0)

    @api.constrains("mint_ratio", "sell_fee_rate", "exit_multiple", "initial_price", "redeem_fee_rate", "mint_cap",
                    "min_sell_amount", "min_lifetime_spend")
    def _check_parameters(self):
        for pool in self:
            if not 0 < pool.mint_ratio < 1:
                raise ValidationError(_("The mint ratio must be between 0 and 1 (both excluded)."))
            if not 0 <= pool.sell_fee_rate < 1 or not 0 <= pool.redeem_fee_rate < 1:
                raise ValidationError(_("Fee rates must be at least 0 and below 1."))
            if pool.exit_multiple < 0:
                raise ValidationError(_("The forced-exit multiple cannot be negative (0 turns exits off)."))
            if pool.initial_price <= 0:
                raise ValidationError(_("The initial price must be positive."))
            if pool.mint_cap < 0 or pool.min_sell_amount < 0 or pool.min_lifetime_spend < 0:
                raise ValidationError(_("Caps and minimums cannot be negative (0 means none)."))

    @api.model_create_multi
    def create(self, vals_list):
        pools = super().create(vals_list)
        self.env["points.pool.state"]._ensure_for(pools)
        for pool in pools:
            pool._ensure_accounting()
        return pools

    def write(self, vals):
        changes_price = "initial_price" in vals and any(
            pool.initial_price != vals["initial_price"] for pool in self)
        if changes_price and any(pool.ledger_ids for pool in self):
            raise UserError(_("The initial price cannot change once the pool has events."))
        result = super().write(vals)
        if changes_price:
            for pool in self:
                self.env["points.pool.state"].sudo().search([("pool_id", "=", pool.id)]).last_price = \
                    pool.initial_price
            self.invalidate_recordset(["last_price", "price"])
        if "exit_multiple" in vals:
            self._reprice_exits()
        return result

    def _reprice_exits(self):
        """A new exit multiple moves every member's exit price: the sequencer reprices and forces out who is due."""
        for pool in self.sudo():
            pool._submit("settle")

    # -- public API (SPEC §13) ----------------------------------------------
    @api.model
    def _get_for_company(self, company):
        """The company's pool, created with its journal and accounts if missing."""
        company.ensure_one()
        pool = self.sudo().search([("company_id", "=", company.id)], limit=1)
        if not pool:
            pool = self.sudo().create({"company_id": company.id})
        return pool.with_env(self.env)

    def contribute(self, partner, spend, contribution, source=None, mint_ratio=None):
        """A paid order: ``contribution`` enters the pool and mints points to ``partner``.

        ``mint_ratio``: the share minted when the order's store or product category sets its own
        (default the pool's at the request's turn); the request and its ledger row keep the ratio.
        Returns the recorded request (its ledger row once applied). Requesting the same
        ``source`` again returns the first request and changes nothing.
        """
        self._check_points_access("user")
        spend = self._positive_amount(spend, _("The spend must be positive, not %s.", spend))
        contribution = self._positive_amount(
            contribution, _("The contribution must be positive, not %s.", contribution))
        if contribution > spend:
            raise UserError(_("The contribution (%(c)s) cannot exceed the spend (%(s)s).", c=contribution, s=spend))
        if mint_ratio is not None and not 0 < to_decimal(mint_ratio) < 1:
            raise UserError(_("A mint ratio is above 0 and below 1 (100%%), not %s.", mint_ratio))
        pool = self.sudo()
        existing = pool._existing_request("contribute", source)
        if existing:
            return existing.with_env(self.env)
        wallet = pool._wallet_for(partner, source)
        return pool._submit("contribute", source, wallet=wallet, spend=spend, contribution=contribution,
                            mint_ratio=float(to_decimal(mint_ratio)) if mint_ratio is not None else 0.0)

    def sell(self, partner, points, source=None):
        """The member sells ``points`` for their value less the sell fee, paid to the cash balance.

        The points are reserved at once (the member's other requests cannot use them);
        the sale itself is applied in the pool's order of events.
        """
        self._check_points_access("user", partner=partner)
        points = self._positive_points(points)
        pool = self.sudo()
        existing = pool._existing_request("sell", source)
        if existing:
            return existing.with_env(self.env)
        wallet = pool._wallet_for(partner, source, create=False)
        wallet = wallet._lock_reservations()
        pool._check_can_sell(wallet, points)
        return pool._submit("sell", source, wallet=wallet, points=points, reserved_points=points)

    def redeem(self, partner, points, source, amount=None):
        """Points pay for goods: their value less the redeem fee leaves the pool to pay ``source``.

        With ``amount``, the points pay exactly that amount at the price of their turn:
        ``points`` (what they need at today's price, the most they can need since the price
        never falls) are reserved and what the applied price does not need stays with the member.
        """
        self._check_points_access("user", partner=partner)
        points = self._positive_points(points)
        if not source:
            raise UserError(_("Redeeming points needs the document they pay."))
        if amount is not None:
            amount = self._positive_amount(amount, _("The amount paid with points must be positive, not %s.", amount))
        pool = self.sudo()
        existing = pool._existing_request("redeem", source)
        if existing:
            return existing.with_env(self.env)
        wallet = pool._wallet_for(partner, source, create=False)
        wallet = wallet._lock_reservations()
        wallet._check_available_points(points)
        return pool._submit("redeem", source, wallet=wallet, points=points, amount=amount or 0,
                            reserved_points=points)

    def restore(self, partner, amount, source, original=None):
        """Refund of goods paid with points: ``amount`` of what the redemption ``original`` paid comes back
        as points (SPEC §3.1), never as money.

        The value re-enters the pool and mints at the current price, rounded down: the price does not
        move and the member gets back what the points were worth when used, less what rounding keeps
        in the pool. Idempotent on (``source``, ``original``): ``source`` is the refund document (a
        refund payment, a credit note). All restores of a redemption together give back at most what
        it paid. A blocked wallet gets its points back too (they stay blocked with it); after a
        forced exit the points open nothing new (the forced-exit rule sells them at once).
        """
        self._check_points_access("user")
        if not source:
            raise UserError(_("Giving points back needs the refund document."))
        if not original or original._name != "points.pool.request" or original.kind != "redeem":
            raise UserError(_("Giving points back needs the redemption that the refunded points paid."))
        original = original.sudo()
        pool = self.sudo()
        if original.pool_id != pool:
            raise UserError(_("%(request)s belongs to the profit pool of %(company)s, not of %(pool)s.",
                              request=original.display_name, company=original.pool_id.company_id.name,
                              pool=pool.company_id.name))
        if original.state != "applied":
            raise UserError(_("%(request)s is %(state)s: only an applied redemption can be refunded as points.",
                              request=original.display_name,
                              state=dict(original._fields["state"]._description_selection(self.env))[original.state]))
        wallet = original.wallet_id
        if partner and partner.commercial_partner_id != wallet.partner_id.commercial_partner_id:
            raise UserError(_("%(request)s was paid with the points of %(member)s, not of %(partner)s.",
                              request=original.display_name, member=wallet.partner_id.display_name,
                              partner=partner.display_name))
        source_company = "company_id" in source._fields and source.company_id
        if source_company and source_company != pool.company_id:
            raise UserError(_("%(document)s belongs to %(company)s, not to the pool's company %(pool)s.",
                              document=source.display_name, company=source_company.name, pool=pool.company_id.name))
        amount = self._positive_amount(amount, _("The refunded amount must be positive, not %s.", amount))
        existing = pool._existing_request("restore", source, original=original)
        if existing:
            return existing.with_env(self.env)
        left = pool._restorable_amount(original)
        if amount > left:
            raise UserError(_(
                "%(request)s paid %(paid)s with points, of which %(left)s can still be given back: "
                "%(amount)s is too much.", request=original.display_name, paid=original.ledger_id.amount,
                left=left, amount=amount))
        return pool._submit("restore", source, wallet=wallet, amount=amount, original_id=original.id,
                            key_original=original)

    def _restorable_amount(self, redemption):
        """What an applied redemption paid that refunds have not given back yet (pending ones count)."""
        redemption = redemption.sudo()
        if redemption.state != "applied" or not redemption.ledger_id:
            return Decimal(0)
        others = self.env["points.pool.request"].sudo().search(
            [("original_id", "=", redemption.id), ("kind", "=", "restore"), ("state", "!=", "refused")])
        digits = self.currency_id.decimal_places
        done = sum((money_half_up(to_decimal(other.amount), digits) for other in others), Decimal(0))
        return max(money_half_up(to_decimal(redemption.ledger_id.amount), digits) - done, Decimal(0))

    def inject(self, amount, memo, account=None, source=None):
        """Money enters the pool with no points (financing, subsidy): the price rises."""
        self._check_points_access("manager")
        amount = self._positive_amount(amount, _("The injected amount must be positive, not %s.", amount))
        pool = self.sudo()
        existing = pool._existing_request("inject", source)
        if existing:
            return existing.with_env(self.env)
        account = account or pool.injection_account_id
        if not account:
            raise UserError(_("Choose the account the injected money comes from."))
        if account.company_ids and pool.company_id not in account.company_ids:
            raise UserError(_("The account %s does not belong to the pool's company.", account.display_name))
        return pool._submit("inject", source, amount=amount, memo=memo, counter_account_id=account.id)

    def reverse(self, source, ratio=1.0, refund_source=None):
        """Reverses ``ratio`` of the contribution made for ``source`` (refund, cancellation).

        Points minted by it are burned at the current price without fee and the pool
        returns at most the contribution; points no longer held become a debt on the
        member's cash balance. Reversals add up to at most the whole contribution.
        """
        self._check_points_access("user")
        ratio = to_decimal(ratio)
        if ratio <= 0 or ratio > 1:
            raise UserError(_("The share to reverse must be above 0 and at most 1."))
        pool = self.sudo()
        original = pool._existing_request("contribute", source)
        if not original or original.state == "refused":
            raise UserError(_("No contribution was recorded for %s.", self._source_label(source)))
        existing = pool._existing_request("reverse", refund_source, original=original)
        if existing:
            return existing.with_env(self.env)
        others = self.env["points.pool.request"].sudo().search(
            [("original_id", "=", original.id), ("kind", "=", "reverse"), ("state", "!=", "refused")])
        done = sum(to_decimal(other.ratio) for other in others)
        if done + ratio > 1:
            raise UserError(_("The contribution of %s is already reversed.", self._source_label(source)))
        return pool._submit("reverse", refund_source, wallet=original.wallet_id, ratio=float(ratio),
                            original_id=original.id, key_original=original)

    # -- actions ---------------------------------------------------------------
    def action_open_wallets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_pool.points_wallet_action")
        action["domain"] = [("pool_id", "=", self.id)]
        return action

    def action_open_ledger(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_pool.points_ledger_action")
        action["domain"] = [("pool_id", "=", self.id)]
        return action

    def action_open_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_pool.points_pool_request_action")
        action["domain"] = [("pool_id", "=", self.id)]
        action["context"] = {"search_default_pending": 1}
        return action

    def action_open_price_graph(self):
        action = self.action_open_ledger()
        action.update(view_mode="graph,list,pivot", views=[(self.env.ref("points_pool.points_ledger_view_graph_price").id, "graph")] + [(False, "list"), (False, "pivot")])
        return action

    def action_check_integrity(self):
        self.ensure_one()
        check = self.env["points.integrity.check"].create({"pool_id": self.id})
        check.action_run()
        return check._open_action()

    # -- engine bridge ---------------------------------------------------------
    def _engine_params(self):
        self.ensure_one()
        return PoolParams(
            mint_ratio=to_decimal(self.mint_ratio),
            sell_fee_rate=to_decimal(self.sell_fee_rate),
            exit_multiple=to_decimal(self.exit_multiple),
            initial_price=to_decimal(self.initial_price),
            redeem_fee_rate=to_decimal(self.redeem_fee_rate),
            mint_cap=to_decimal(self.mint_cap) if self.mint_cap else None,
            money_digits=self.currency_id.decimal_places if self.currency_id else 2,
        )

    def _points_for_amount(self, amount, engine=None):
        """Fewest points that pay ``amount`` at the (engine's) current price; None when no points circulate."""
        engine = engine or self._engine()
        return engine.points_for_amount(money_half_up(to_decimal(amount or 0), engine.params.money_digits))

    def _redeem_value(self, points, engine=None):
        """What ``points`` pay when redeemed at the (engine's) current price, as the engine rounds it."""
        return (engine or self._engine()).redeem_value(to_decimal(points or 0))

    def _engine(self):
        """The pool's state as an engine :class:`Pool` (exact Decimals)."""
        self.ensure_one()
        digits = self.currency_id.decimal_places if self.currency_id else 2
        return Pool(
            self._engine_params(),
            balance=money_half_up(to_decimal(self.balance), digits),
            points=points_down(to_decimal(self.circulating_points)),
            last_price=to_decimal(self.last_price) or to_decimal(self.initial_price),
        )

    # -- bookkeeping ------------------------------------------------------------
    def _source_key(self, event, source, original=None):
        if not source:
            return None
        return idempotency_key(event, source, *([original.id] if original else []))

    def _existing_request(self, kind, source, original=None):
        key = self._source_key(kind, source, original)
        if not key:
            return self.env["points.pool.request"]
        return self.env["points.pool.request"].sudo().search(
            [("pool_id", "=", self.id), ("key", "=", key)], limit=1)

    @api.model
    def _source_label(self, source):
        return source.display_name if source else _("an unnamed source")

    def _wallet_for(self, partner, source, create=True):
        if not partner:
            raise UserError(_("Choose the member."))
        partner.ensure_one()
        source_company = source and "company_id" in source._fields and source.company_id
        if source_company and source_company != self.company_id:
            raise UserError(_("%(document)s belongs to %(company)s, not to the pool's company %(pool)s.",
                              document=source.display_name, company=source_company.name, pool=self.company_id.name))
        wallet = self.env["points.wallet"].sudo()._get_for_partner(partner, self.company_id, create=create)
        if not wallet:
            raise UserError(_("%s has no points wallet.", partner.display_name))
        wallet._check_active()
        return wallet

    def _check_can_sell(self, wallet, points):
        wallet._check_available_points(points)
        if self.min_lifetime_spend and wallet.lifetime_spend < self.min_lifetime_spend:
            raise UserError(_("Selling needs a lifetime spend of at least %(min)s; %(partner)s has spent %(spent)s.",
                              min=self.min_lifetime_spend, partner=wallet.partner_id.display_name,
                              spent=wallet.lifetime_spend))
        # Points beyond what circulates are refused at the pool's turn; below, a payout that rounds to nothing.
        if points <= self._engine().points:
            self._sell_quote(points)
        if self.min_sell_amount and self._engine().value_of(points) < to_decimal(self.min_sell_amount):
            raise UserError(_("The points offered are worth less than the minimum sale of %s.", self.min_sell_amount))

    def _sell_quote(self, points):
        """The engine's quote of selling ``points`` (exact Decimal) now; refuses more points than circulate and a
        sale paying nothing once rounded down (the previews read the refusal before the member confirms)."""
        try:
            quote = self._engine().sell_quote(points)
        except EngineError as error:
            raise UserError(str(error)) from error
        if quote.net <= 0:
            raise refusal("sale_too_small", _(
                "Selling %(points)s points would pay %(net)s after rounding: sell more points.", points=points,
                net=self.currency_id.format(float(quote.net))))
        return quote

    def _check_points_access(self, level, partner=None):
        """Callers need the Points group (manager for injections); members may sell their own points."""
        if self.env.su:
            return
        user = self.env.user
        if level == "manager" and not user.has_group("points_pool.group_points_manager"):
            raise AccessError(_("Only a Points Manager may do this on the profit pool."))
        if level == "user" and not user.has_group("points_pool.group_points_user"):
            # A member's own record (an id sent over RPC is not one: members act through the portal and the API).
            if isinstance(partner, models.BaseModel) and partner == user.partner_id:
                return
            raise AccessError(_("You are not allowed to move points or money of the profit pool."))
        # Reading the pool enforces the multi-company rules for the caller.
        self.check_access("read")

    def _positive_amount(self, amount, message):
        value = money_half_up(to_decimal(amount or 0), self.currency_id.decimal_places)
        if value <= 0:
            raise UserError(message)
        return value

    def _positive_points(self, points):
        value = to_decimal(points or 0)
        if value <= 0:
            raise UserError(_("The number of points must be positive, not %s.", points))
        if value != points_down(value):
            raise UserError(_("Points have at most 4 decimals (%s).", points))
        return value

    def _earning_share(self, paid_with_points, total):
        """Share (Decimal, 0 to 1) of an order's lines that earns points when ``paid_with_points`` of its
        ``total`` was paid with points: the part paid in money, unless points payments earn too."""
        self.ensure_one()
        paid, total = to_decimal(paid_with_points or 0), to_decimal(total or 0)
        if self.points_paid_earns or paid <= 0 or total <= 0:
            return to_decimal(1)
        return max(to_decimal(0), 1 - min(paid, total) / total)
