from contextlib import contextmanager
from decimal import Decimal

import logging
import weakref

from odoo import SUPERUSER_ID, Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.tools import SQL, LazyTranslate

from odoo.addons.points_engine import Pool, PoolParams
from odoo.addons.points_engine.rounding import money_half_up, points_down, to_decimal

from .points_pool_request import BUSY_ERRORS

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)
#: Cursor -> ids of the pools whose requests wait for the end of an ``_applying_together`` block on it.
#: (Not ``cr.precommit.data``: every flush, a savepoint included, runs and clears it.)
DEFERRED_POOLS = weakref.WeakKeyDictionary()

#: Journal entries of a real-time drain keep one pair of lines per event up to this many events.
MAX_DETAILED_ROWS = 100

# Accounts each pool posts to: (pool field, name, type, starting code, reconcile).
POOL_ACCOUNTS = [
    ("pool_account_id", _lt("Profit pool liability"), "liability_current", "219100", False),
    ("wallet_account_id", _lt("Member wallets payable"), "liability_payable", "219200", True),
    ("contribution_account_id", _lt("Profit pool contributions"), "expense", "619100", False),
    ("injection_account_id", _lt("Profit pool subsidies"), "expense", "619200", False),
]


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
    pool_account_id = fields.Many2one("account.account", check_company=True, tracking=True)
    wallet_account_id = fields.Many2one("account.account", check_company=True, tracking=True)
    contribution_account_id = fields.Many2one("account.account", check_company=True, tracking=True)
    injection_account_id = fields.Many2one(
        "account.account", check_company=True, tracking=True, string="Default Injection Account",
        help="Counter-account of injections, proposed in the injection wizard.")

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
        available = wallet._available_points()
        if available < points:
            raise UserError(_("%(partner)s has %(held)s points available, fewer than the %(asked)s asked.",
                              partner=partner.display_name, held=available, asked=points))
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

    # -- the pool's sequencer ------------------------------------------------------------
    def _submit(self, kind, source=None, wallet=None, key_original=None, **values):
        """Records a request in the caller's transaction (insert only) and applies it as soon as it can.

        At once when the pool is free (``FOR UPDATE NOWAIT`` in a savepoint), else after the
        caller's commit or by the safety-net job: the caller never waits for the pool nor
        fails because of it.
        """
        self.ensure_one()
        if source:
            source.ensure_one()
        request = self.env["points.pool.request"].sudo().create({
            "pool_id": self.id, "kind": kind, "key": self._source_key(kind, source, key_original),
            "source_model": source._name if source else False, "source_id": source.id if source else False,
            "wallet_id": wallet.id if wallet else False, "partner_id": wallet.partner_id.id if wallet else False,
            **{name: float(value) if isinstance(value, Decimal) else value for name, value in values.items()},
        })
        self._apply_soon()
        return request.with_env(self.env)

    def _submit_movements(self, entries, pool_deltas=None, key=None, wallet=None, reserved_points=0,
                          reserved_cash=0):
        """Hands wallet movements to the sequencer, the one writer of balances; returns the request.

        ``entries``: dicts with ``event``, ``amount`` and optionally ``wallet`` (a points.wallet),
        ``partner``, ``source`` (a record), ``key`` (the row's unique key), ``cash``, ``frozen``
        and ``points`` (wallet deltas), ``debt``, ``gross``, ``memo``, ``overdraft`` (False: refuse the
        request rather than take the cash balance below zero) and ``ledger`` (values of ledger
        columns other modules add). ``pool_deltas``: {pool field: change}, such as the
        rebate pool's balance; a request that would make one negative is refused.
        Each row is applied once: entries whose key is already in the ledger are skipped.
        ``wallet`` with ``reserved_points`` / ``reserved_cash``: what the request holds back from
        that member's available points and cash until it is applied (call
        ``wallet._lock_reservations()`` and check the available amounts first).
        """
        self.ensure_one()
        if not entries:
            return self.env["points.pool.request"]
        payload = {"entries": [self._movement_payload(entry) for entry in entries]}
        if pool_deltas:
            payload["pool"] = {name: str(to_decimal(delta)) for name, delta in pool_deltas.items() if delta}
        wallet = wallet or (entries[0].get("wallet") if len(entries) == 1 else None)
        request = self.env["points.pool.request"].sudo().create({
            "pool_id": self.id, "kind": "movements", "key": key or False, "payload": payload,
            "wallet_id": wallet.id if wallet else False, "partner_id": wallet.partner_id.id if wallet else False,
            "reserved_points": float(reserved_points), "reserved_cash": float(reserved_cash),
            "source_model": entries[0]["source"]._name if entries[0].get("source") else False,
            "source_id": entries[0]["source"].id if entries[0].get("source") else False,
        })
        self._apply_soon()
        return request

    @api.model
    def _movement_payload(self, entry):
        def number(name):
            return str(to_decimal(entry.get(name) or 0))

        source, wallet, partner = entry.get("source"), entry.get("wallet"), entry.get("partner")
        ledger = {name: (value.id if isinstance(value, models.BaseModel) else
                         str(value) if isinstance(value, Decimal) else value)
                  for name, value in (entry.get("ledger") or {}).items()}
        if entry.get("memo"):
            ledger["memo"] = str(entry["memo"])
        if entry.get("counter_account"):
            ledger["counter_account_id"] = entry["counter_account"].id
        return {
            "event": entry["event"], "amount": number("amount"), "cash": number("cash"), "frozen": number("frozen"),
            "points": number("points"), "debt": number("debt"), "gross": number("gross"),
            "wallet_id": wallet.id if wallet else None,
            "partner_id": (partner or (wallet and wallet.partner_id)).id if (partner or wallet) else None,
            "key": entry.get("key") or None, "overdraft": entry.get("overdraft", True),
            "source_model": source._name if source else None, "source_id": source.id if source else None,
            "ledger": ledger,
        }

    def _apply_soon(self):
        """Applies the pool's pending requests now if the pool is free, else right after the caller's commit.

        Inside :meth:`_applying_together` nothing is applied until the block ends.
        """
        self.ensure_one()
        deferred = DEFERRED_POOLS.get(self.env.cr)
        if deferred is not None:
            deferred.add(self.id)
            return
        # Under load others' requests are already waiting: ours joins them and is applied with them right
        # after the commit (one drain, one journal entry for many checkouts) instead of taking the pool for
        # the rest of this transaction and posting an entry of its own.
        if not self._others_pending():
            self._apply_now()
        # Also when applied now: requests others left while this transaction held the pool.
        self._schedule_drain()

    @contextmanager
    def _applying_together(self):
        """Requests recorded inside the block are applied together when it ends: one drain, one journal entry.

        A channel that records several requests for one checkout (a payment with points, then a
        contribution per line) wraps them in this block so that the pool is taken once and posts
        one entry for all of them, not one per request.
        """
        cr = self.env.cr
        if cr in DEFERRED_POOLS:  # an outer block applies them
            yield
            return
        DEFERRED_POOLS[cr] = set()
        try:
            yield
        finally:
            pool_ids = DEFERRED_POOLS.pop(cr)
        for pool in self.sudo().browse(sorted(pool_ids)):
            pool._apply_soon()

    def _apply_now(self):
        """Takes the pool without waiting and applies what is pending, inside a savepoint; False if busy."""
        cr = self.env.cr
        try:
            with cr.savepoint():
                cr.execute(self._lock_query(nowait=True), log_exceptions=False)
                self.env["points.pool.request"]._apply_locked(self)
        except BUSY_ERRORS:
            return False
        return True

    def _others_pending(self):
        """Whether requests committed by other transactions wait for the pool.

        ``age(xmin)`` is positive for a row an earlier transaction wrote and zero or negative for
        the rows of this transaction and its savepoints (this one has written its request already).
        """
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """SELECT 1 FROM points_pool_request
                WHERE pool_id = %s AND state = 'pending' AND age(xmin) > 0 LIMIT 1""", self.id))
        return bool(self.env.cr.fetchone())

    def _lock_query(self, nowait=False):
        """The pool's lock: the row lock of its balance row, which only the sequencer writes."""
        return SQL("SELECT id FROM points_pool_state WHERE pool_id = %s FOR UPDATE %s", self.id,
                   SQL("NOWAIT") if nowait else SQL())

    def _schedule_drain(self):
        """After the caller's commit, the same request drains the pool's queue; a queue job catches the rest."""
        cr = self.env.cr
        pools = cr.postcommit.data.setdefault("points.pool.drain", set())
        if self.id in pools:
            return
        pools.add(self.id)
        dbname, pool_id = cr.dbname, self.id

        def drain():
            try:
                done = type(self)._drain(dbname, pool_id)
            except Exception:
                _logger.exception("Draining profit pool %s after commit failed; its queue job will", pool_id)
                done = False
            if not done:
                type(self)._enqueue_drain(dbname, pool_id)

        cr.postcommit.add(drain)

    @classmethod
    def _drain(cls, dbname, pool_id, passes=3):
        """Applies the pool's pending requests in short transactions of their own; True if none is left.

        Each transaction runs in READ COMMITTED and takes the pool lock as its first statement,
        so its reads see every request and balance committed before it. A pass that applied
        something is followed by another one after its commit: a caller that found the pool
        taken while this drain ran has its request applied by the next pass. If another
        transaction holds the pool, that one drains after its own commit.
        """
        registry = Registry(dbname)
        for _pass in range(passes):
            with registry.cursor() as cr:
                cr.execute(SQL("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"))
                cr.execute(SQL("SELECT id FROM points_pool_state WHERE pool_id = %s FOR UPDATE SKIP LOCKED", pool_id))
                if not cr.fetchone():
                    return True  # the holder drains after its commit
                env = api.Environment(cr, SUPERUSER_ID, {})
                pool = env["points.pool"].browse(pool_id)
                if not pool._has_pending_work():
                    return True
                env["points.pool.request"]._apply_locked(pool)
        return False

    @classmethod
    def _enqueue_drain(cls, dbname, pool_id):
        """The safety net: one queue job per pool (channel of capacity 1, identity key per pool)."""
        try:
            with Registry(dbname).cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["points.pool"].browse(pool_id)._delay_drain()
        except Exception:
            _logger.exception("Could not queue the drain of profit pool %s; the scheduled action will drain it",
                              pool_id)

    def _delay_drain(self):
        for pool in self:
            pool.with_delay(
                channel=pool._drain_channel(), identity_key=f"points.pool.drain:{pool.id}",
                description=_("Apply the pending requests of %s", pool.display_name),
            )._job_drain()

    def _drain_channel(self):
        return "root.points_pool"

    def _job_drain(self):
        """Queue job: drains the pool until no request is pending."""
        self.ensure_one()
        while not type(self)._drain(self.env.cr.dbname, self.id, passes=20):
            pass
        return True

    @api.model
    def _cron_drain_pools(self):
        """Scheduled safety net: pools with pending work get their drain job."""
        self._pools_with_pending_work()._delay_drain()

    @api.model
    def _pools_with_pending_work(self):
        """Pools the sequencer has work for (hook: modules that queue work of their own add their pools)."""
        self.env.cr.execute(SQL("SELECT DISTINCT pool_id FROM points_pool_request WHERE state = 'pending'"))
        return self.browse([pool_id for (pool_id,) in self.env.cr.fetchall()])

    def _has_pending_work(self):
        """Whether the sequencer has work for the pool: pending requests, or what modules queue for it."""
        self.ensure_one()
        self.env.cr.execute(SQL(
            "SELECT 1 FROM points_pool_request WHERE pool_id = %s AND state = 'pending' LIMIT 1", self.id))
        return bool(self.env.cr.fetchone())

    def _apply_pending(self):
        """Applies everything pending for the pool in the caller's own transaction; returns the ledger rows.

        Waits for the pool: for tests, scripts and single-user wizards that need figures at
        once, never for checkout paths.
        """
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(self._lock_query())
        self._schedule_drain()  # what others request meanwhile waits for this transaction's end
        rows = self.env["points.ledger"]
        Request = self.env["points.pool.request"].sudo()
        # A pass may apply nothing but refusals, or an exclusive request that writes no row: go on
        # while work is pending.
        while self.sudo()._has_pending_work():
            rows |= Request._apply_locked(self.sudo())
        return rows.with_env(self.env)

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
        source.ensure_one()
        key = f"{event}:{source._name},{source.id}"
        if original:
            key += f":{original.id}"
        return key

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
        available = wallet._available_points()
        if available < points:
            raise UserError(_("%(partner)s has %(held)s points available, fewer than the %(asked)s asked.",
                              partner=wallet.partner_id.display_name, held=available, asked=points))
        if self.min_lifetime_spend and wallet.lifetime_spend < self.min_lifetime_spend:
            raise UserError(_("Selling needs a lifetime spend of at least %(min)s; %(partner)s has spent %(spent)s.",
                              min=self.min_lifetime_spend, partner=wallet.partner_id.display_name,
                              spent=wallet.lifetime_spend))
        engine = self._engine()
        # Points beyond what circulates are refused at the pool's turn; below, a payout that rounds to nothing.
        if points <= engine.points and engine.sell(points).money <= 0:
            raise UserError(_("Selling %(points)s points would pay %(net)s after rounding: sell more points.",
                              points=points, net=self.currency_id.format(0.0)))
        if self.min_sell_amount and self._engine().value_of(points) < to_decimal(self.min_sell_amount):
            raise UserError(_("The points offered are worth less than the minimum sale of %s.", self.min_sell_amount))

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

    def _posts_immediately(self, row):
        """Redemptions and their refunds are reconciled with what they pay, so they never wait for a batch."""
        return self.accounting_mode == "realtime" or row.event in ("redeem", "restore")

    def _post_entry(self, rows, detailed=None):
        """Posts one balanced entry for ``rows`` (one event, a drain or a batch) and links every row to it.

        ``detailed``: one pair of lines per event (default: in real time, up to a hundred events).
        """
        # Loading a chart of accounts after the pool was created may remove its journal or accounts.
        if not all(self[name] for name in ("journal_id", *(spec[0] for spec in self._get_account_specs()))):
            self._ensure_accounting()
        # Journal labels follow the company's language, whoever triggers the event.
        rows = rows.with_context(lang=self.company_id.partner_id.lang or "en_US")
        lines = [line for row in rows for line in self._prepare_move_lines(row)]
        # A real-time drain keeps one pair of lines per event; batches (and big drains) net them.
        if detailed is None:
            detailed = self.accounting_mode == "realtime" and len(rows) <= MAX_DETAILED_ROWS
        if len(rows) > 1 and not detailed:
            lines = self._merge_move_lines(lines, _("Profit pool: %s events", len(rows)))
        if not lines:
            return self.env["account.move"]
        ref = rows.display_name if len(rows) == 1 else _("Profit pool batch %(first)s–%(last)s",
                                                          first=rows[0].display_name, last=rows[-1].display_name)
        # The pool's own entries need no chatter (creation log, followers, state tracking): created and
        # posted under the pool lock, their bookkeeping would lengthen every drain.
        move = self.env["account.move"].sudo().with_context(tracking_disable=True).create(
            self._prepare_move_values(ref, lines))
        move._post(soft=False)
        self.env.cr.execute(SQL("UPDATE points_ledger SET move_id = %s WHERE id = ANY(%s)", move.id, rows.ids))
        rows.invalidate_recordset(["move_id"])
        return move

    @api.model
    def _merge_move_lines(self, lines, label):
        """One line per account and partner, netted: a batch entry stays short."""
        totals = {}
        for line in lines:
            key = (line["account_id"], line["partner_id"])
            totals[key] = totals.get(key, 0.0) + line.get("debit", 0.0) - line.get("credit", 0.0)
        digits = self.currency_id.decimal_places
        return [
            {"name": label, "account_id": account, "partner_id": partner,
             "debit": round(net, digits) if net > 0 else 0.0, "credit": round(-net, digits) if net < 0 else 0.0}
            for (account, partner), net in totals.items() if round(net, digits)
        ]

    def action_post_pending_entries(self):
        """Posts one entry for the events waiting in batch mode (also run by a scheduled action).

        Takes the waiting rows, not the pool: the sequencer goes on while the entry is posted.
        """
        self._check_points_access("manager")
        for pool in self.sudo():
            self.env.flush_all()
            self.env.cr.execute(SQL(
                """SELECT id FROM points_ledger WHERE pool_id = %s AND move_id IS NULL
                    ORDER BY id FOR UPDATE SKIP LOCKED""", pool.id))
            rows = self.env["points.ledger"].sudo().browse([row_id for (row_id,) in self.env.cr.fetchall()])
            if rows:
                pool._post_entry(rows)
        return True

    @api.model
    def _cron_post_pending_entries(self):
        self.sudo().search([("accounting_mode", "=", "batch")]).action_post_pending_entries()

    def _prepare_move_values(self, ref, lines):
        return {
            "move_type": "entry",
            "journal_id": self.journal_id.id,
            "company_id": self.company_id.id,
            "date": fields.Date.context_today(self),
            "ref": ref,
            "line_ids": [Command.create(line) for line in lines],
        }

    def _prepare_move_lines(self, row):
        """Balanced journal lines of one ledger row; hook for modules that post elsewhere."""
        partner = row.partner_id.id or False
        amount = row.amount
        label = row.display_name

        def pair(debit_account, credit_account, value, debit_partner=partner, credit_partner=partner):
            if not value:
                return []
            return [
                {"name": label, "account_id": debit_account.id, "partner_id": debit_partner, "debit": value},
                {"name": label, "account_id": credit_account.id, "partner_id": credit_partner, "credit": value},
            ]

        if row.event == "contribute":
            return pair(self.contribution_account_id, self.pool_account_id, amount)
        if row.event in ("sell", "exit"):
            return pair(self.pool_account_id, self.wallet_account_id, amount)
        if row.event == "redeem":
            return pair(self.pool_account_id, self._get_redeem_account(row), amount)
        if row.event == "restore":
            return pair(self._get_redeem_account(row), self.pool_account_id, amount)
        if row.event == "inject":
            return pair(row.counter_account_id, self.pool_account_id, amount)
        if row.event == "reverse":
            return (pair(self.pool_account_id, self.contribution_account_id, amount)
                    + pair(self.wallet_account_id, self.contribution_account_id, row.debt))
        return []

    def _get_redeem_account(self, row):
        """Account credited when points pay for goods: the member's receivable by default."""
        account = row.partner_id.with_company(self.company_id).property_account_receivable_id
        if not account:
            raise UserError(_("%s has no receivable account in this company.", row.partner_id.display_name))
        return account

    def _get_account_specs(self):
        """Accounts the pool posts to: ``(pool field, name, type, starting code, reconcile)``.

        Capability modules add theirs (reward, rebate, withdrawal accounts) by extending this
        list; :meth:`_ensure_accounting` creates whichever is missing, named in every installed
        language.
        """
        return list(POOL_ACCOUNTS)

    def _ensure_accounting(self):
        """Creates the Profit Pool journal and the accounts of :meth:`_get_account_specs` when missing."""
        for pool in self.sudo():
            company = pool.company_id
            vals = {field_name: pool._create_pool_account(name, account_type, start_code, reconcile).id
                    for field_name, name, account_type, start_code, reconcile in pool._get_account_specs()
                    if not pool[field_name]}
            if not pool.journal_id:
                Journal = self.env["account.journal"].sudo().with_company(company)
                code, suffix = "POOL", 1
                while Journal.search_count([("code", "=", code), ("company_id", "=", company.id)]):
                    code, suffix = f"POOL{suffix}", suffix + 1
                vals["journal_id"] = Journal.create({
                    "name": _("Profit Pool"), "code": code, "type": "general", "company_id": company.id,
                }).id
            if vals:
                pool.write(vals)

    def _create_pool_account(self, name, account_type, start_code, reconcile=False):
        """One account of the pool's company, with the first free code from ``start_code``."""
        self.ensure_one()
        Account = self.env["account.account"].sudo().with_company(self.company_id)
        account = Account.with_context(lang="en_US").create({
            "name": name._translate("en_US"), "account_type": account_type, "reconcile": reconcile,
            "code": Account._search_new_account_code(start_code, cache=set()),
            "non_trade": account_type == "liability_payable",
            "company_ids": [Command.set(self.company_id.ids)],
        })
        languages = [lang for lang, _label in self.env["res.lang"].get_installed() if lang != "en_US"]
        if languages:
            account.update_field_translations("name", {lang: name._translate(lang) for lang in languages})
        return account

    # -- integrity (SPEC §3.3) -----------------------------------------------------
    def _integrity_breaches(self):
        """Every breach of SPEC §3.3 for this pool, as dicts for the integrity report."""
        self.ensure_one()
        pool = self.sudo()
        breaches = []
        digits = pool.currency_id.decimal_places

        def check(label, expected, actual, partner=None, precision=digits):
            expected, actual = round(expected, precision), round(actual, precision)
            if expected != actual:
                breaches.append({"name": label, "expected": expected, "actual": actual,
                                 "partner_id": partner.id if partner else False})

        Ledger, Wallet = self.env["points.ledger"].sudo(), self.env["points.wallet"].sudo()
        ledger_totals = Ledger._read_group([("pool_id", "=", pool.id)], [], ["points_delta:sum", "balance_delta:sum"])[0]
        wallet_points = Wallet._read_group([("pool_id", "=", pool.id)], [], ["points:sum"])[0][0] or 0.0
        check(_("Σ wallet points = circulating points"), pool.circulating_points, wallet_points, precision=4)
        check(_("Σ ledger points = circulating points"), pool.circulating_points, ledger_totals[0] or 0.0, precision=4)
        check(_("Σ ledger pool movements = pool balance"), pool.balance, ledger_totals[1] or 0.0)
        # Events waiting for a batch entry are in the ledger but not yet in the general ledger.
        pending = Ledger._read_group([("pool_id", "=", pool.id), ("move_id", "=", False)],
                                     ["partner_id"], ["balance_delta:sum", "cash_delta:sum"])
        pending_balance = sum(balance for _partner, balance, _cash in pending)
        pending_cash = {partner.id: cash for partner, _balance, cash in pending}
        check(_("General ledger pool liability = pool balance"), pool.balance - pending_balance,
              -pool._account_balance(pool.pool_account_id))

        gl_cash = pool._account_balance_by_partner(pool.wallet_account_id)
        ledger_cash = dict(Ledger._read_group([("pool_id", "=", pool.id), ("wallet_id", "!=", False)],
                                              ["wallet_id"], ["cash_delta:sum"]))
        for wallet in Wallet.search([("pool_id", "=", pool.id)]):
            check(_("General ledger wallet payable = cash balance"),
                  wallet.cash_balance - pending_cash.get(wallet.partner_id.id, 0.0),
                  -gl_cash.get(wallet.partner_id.id, 0.0), partner=wallet.partner_id)
            check(_("Σ ledger cash movements = cash balance"), wallet.cash_balance,
                  ledger_cash.get(wallet, 0.0), partner=wallet.partner_id)
            if wallet.points < 0:
                check(_("Wallet points are not negative"), 0.0, wallet.points, partner=wallet.partner_id, precision=4)
            if wallet.cash_balance < 0 and not wallet.debt:
                check(_("Cash is negative only for a refund debt"), 0.0, wallet.cash_balance, partner=wallet.partner_id)
        for field_name in ("balance", "circulating_points"):
            if pool[field_name] < 0:
                check(_("Pool figures are not negative"), 0.0, pool[field_name])

        falling = Ledger.search([("pool_id", "=", pool.id)], order="id").filtered(
            lambda row: row.price_after + 1e-9 < row.price_before)
        for row in falling:
            check(_("The price never decreases (%s)", row.display_name), row.price_before, row.price_after,
                  partner=row.partner_id, precision=6)
        self.env.cr.execute(SQL(
            """SELECT key FROM points_ledger WHERE pool_id = %s AND key IS NOT NULL
               GROUP BY key HAVING count(*) > 1""", pool.id))
        for (key,) in self.env.cr.fetchall():
            check(_("One ledger row per source (%s)", key), 1, 2)
        unposted = Ledger.search([("pool_id", "=", pool.id), ("move_id", "=", False), ("amount", "!=", 0)])
        check(_("Ledger rows with money have a journal entry"), 0,
              len(unposted.filtered(lambda row: pool._posts_immediately(row))))
        return breaches

    def _earning_share(self, paid_with_points, total):
        """Share (Decimal, 0 to 1) of an order's lines that earns points when ``paid_with_points`` of its
        ``total`` was paid with points: the part paid in money, unless points payments earn too."""
        self.ensure_one()
        paid, total = to_decimal(paid_with_points or 0), to_decimal(total or 0)
        if self.points_paid_earns or paid <= 0 or total <= 0:
            return to_decimal(1)
        return max(to_decimal(0), 1 - min(paid, total) / total)

    def _reconciliation_sections(self):
        """Each balance the pool keeps against the ledger and its general-ledger account (reconciliation report).

        A list of dicts: ``name``, ``kind`` (``money`` or ``points``), ``reference_name`` and
        ``reference`` (the balance as the pool keeps it), ``figures`` (``(label, value)`` pairs that
        must equal it). Modules keeping other balances (frozen rewards, dividend pools, the rebate
        pool…) add a section each. A general-ledger figure counts the rows still waiting for their
        batch entry, so that it equals the balance whatever the accounting mode.
        """
        self.ensure_one()
        pool = self.sudo()
        Ledger, Wallet = self.env["points.ledger"].sudo(), self.env["points.wallet"].sudo()
        domain = [("pool_id", "=", pool.id)]
        ledger_points, ledger_balance, ledger_cash = Ledger._read_group(
            domain, [], ["points_delta:sum", "balance_delta:sum", "cash_delta:sum"])[0]
        pending_balance, pending_cash = Ledger._read_group(
            domain + [("move_id", "=", False)], [], ["balance_delta:sum", "cash_delta:sum"])[0]
        wallet_points, wallet_cash = Wallet._read_group(domain, [], ["points:sum", "cash_balance:sum"])[0]
        return [
            {"key": "pool", "name": _("Pool balance"), "kind": "money",
             "reference_name": _("Profit pool balance"), "reference": pool.balance, "figures": [
                 (_("Ledger: sum of pool movements"), ledger_balance),
                 (_("General ledger: %s", pool.pool_account_id.display_name),
                  -pool._account_balance(pool.pool_account_id) + (pending_balance or 0.0)),
             ]},
            {"key": "points", "name": _("Circulating points"), "kind": "points",
             "reference_name": _("Profit pool circulating points"), "reference": pool.circulating_points,
             "figures": [
                 (_("Ledger: sum of points movements"), ledger_points),
                 (_("Member wallets: sum of points held"), wallet_points),
             ]},
            {"key": "wallets", "name": _("Member cash balances"), "kind": "money",
             "reference_name": _("Member wallets: sum of cash balances"), "reference": wallet_cash, "figures": [
                 (_("Ledger: sum of cash movements"), ledger_cash),
                 (_("General ledger: %s", pool.wallet_account_id.display_name),
                  -pool._account_balance(pool.wallet_account_id) + (pending_cash or 0.0)),
             ]},
        ]

    def _account_balance(self, account):
        return self._account_balance_by_partner(account, by_partner=False)

    def _account_balance_by_partner(self, account, by_partner=True):
        domain = [("account_id", "=", account.id), ("company_id", "=", self.company_id.id),
                  ("parent_state", "=", "posted")]
        Line = self.env["account.move.line"].sudo()
        if not by_partner:
            return Line._read_group(domain, [], ["balance:sum"])[0][0] or 0.0
        return {partner.id: total for partner, total in Line._read_group(domain, ["partner_id"], ["balance:sum"])}

    # -- dashboard -------------------------------------------------------------------
    def _dashboard_cards(self):
        """KPI cards of the pool's dashboard: a list of dicts ``key``, ``label``, ``value``, ``kind``
        (``money``, ``price``, ``points``, ``count``), ``sequence`` and optionally ``detail`` (a short line under
        the figure) and ``action`` (the XML id of a window action it opens). Modules keeping figures of their own
        (queued rebates, frozen rewards, withdrawals waiting…) add their cards by overriding this method."""
        self.ensure_one()
        return [
            {"key": "price", "label": _("Point Price"), "value": self.price, "kind": "price", "sequence": 10},
            {"key": "balance", "label": _("Profit Pool"), "value": self.balance, "kind": "money", "sequence": 20},
            {"key": "circulating_points", "label": _("Circulating Points"), "value": self.circulating_points,
             "kind": "points", "sequence": 30},
        ]

    # -- price chart (portal) -------------------------------------------------------
    def _price_chart_values(self, width=640, height=180, max_points=400):
        """Points of an SVG line of the price after each event (downsampled)."""
        self.env.cr.execute(SQL(
            "SELECT date, price_after FROM points_ledger WHERE pool_id = %s ORDER BY id", self.id))
        history = self.env.cr.fetchall()
        if len(history) > max_points:
            step = len(history) / max_points
            history = [history[int(i * step)] for i in range(max_points)] + [history[-1]]
        values = {"width": width, "height": height, "polyline": "", "low": 0.0, "high": 0.0,
                  "first": False, "last": False, "currency": self.currency_id}
        if len(history) < 2:
            return values
        prices = [price for _date, price in history]
        low, high = min(prices), max(prices)
        span = (high - low) or 1.0
        coordinates = [
            f"{index * width / (len(prices) - 1):.1f},{height - 10 - (price - low) * (height - 20) / span:.1f}"
            for index, price in enumerate(prices)
        ]
        values.update(polyline=" ".join(coordinates), low=low, high=high,
                      first=history[0][0], last=history[-1][0])
        return values


    # -- demo ---------------------------------------------------------------------------
    @api.model
    def _demo_golden_vectors(self, partner_ids):
        """Four orders of 1000.00 contributing 300.00 each, then member 1 sells 100 points (SPEC §3.4)."""
        pool = self.sudo()._get_for_company(self.env.ref("base.main_company"))
        if pool.ledger_ids:
            return
        partners = self.env["res.partner"].browse(partner_ids)
        for partner in partners:
            pool.contribute(partner, 1000.0, 300.0)
        pool.sell(partners[0], 100.0)
