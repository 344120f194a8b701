import io
import logging
import operator
from decimal import ROUND_HALF_UP, Decimal, localcontext

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index

from odoo.addons.points_engine import Cycle, Pool, ReversalPlan
from odoo.addons.points_engine.rounding import CONTEXT, money_half_up, points_down, to_decimal
from odoo.addons.points_engine.sequencer import Account, Refusal, Sequencer
from odoo.addons.points_engine.wallet import cash_debt

from ..fields import LooseMany2one
from ..keys import idempotency_key

_logger = logging.getLogger(__name__)

REQUEST_KINDS = [
    ("contribute", "Contribution"),
    ("sell", "Sale of points"),
    ("redeem", "Redemption"),
    ("restore", "Refund of a points payment"),
    ("inject", "Injection"),
    ("reverse", "Reversal"),
    ("movements", "Wallet movements"),
    ("settle", "Forced-exit check"),
]

#: Errors that mean "the pool is busy": the caller leaves its request pending.
BUSY_ERRORS = (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure,
               psycopg2.errors.DeadlockDetected)

#: Most requests one drain transaction applies, so that the pool lock is held briefly.
DRAIN_BATCH = 5000

#: Ledger columns every sequencer row fills; movements may add the columns of other modules.
LEDGER_COLUMNS = (
    "event", "partner_id", "wallet_id", "cycle_number", "key", "source_model", "source_id", "reversal_of_id",
    "reversed_ratio", "memo", "points_delta", "balance_delta", "cash_delta", "amount", "debt", "spend",
    "mint_value", "gross_value", "fee", "price_before", "price_after", "balance_after", "points_after",
    "counter_account_id", "request_id",
)


class PointsPoolRequest(models.Model):
    """A pool event asked for by a caller, applied later in one chain by the pool's sequencer.

    Callers only insert requests (unique on their source key); the sequencer is the one
    writer of pool and wallet balances and of the ledger.
    """

    _name = "points.pool.request"
    _description = "Pool Event Request"
    _order = "id desc"

    # The sequencer rewrites every request once: no index on the pool (the unique (pool_id, key) index leads
    # with it) nor on the state (partial indexes below cover the pending and the refused ones).
    pool_id = fields.Many2one("points.pool", required=True, readonly=True, ondelete="restrict")
    company_id = fields.Many2one(related="pool_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="pool_id.currency_id")
    kind = fields.Selection(REQUEST_KINDS, required=True, readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("applied", "Applied"), ("refused", "Refused")], default="pending", required=True,
        readonly=True,
        help="Pending: waiting for the pool's sequencer (usually a fraction of a second). Refused: it could not be "
             "applied at its turn; the reason says why and nothing moved.")
    # No foreign keys to the rows the sequencer rewrites (see LooseMany2one).
    partner_id = LooseMany2one("res.partner", readonly=True, index="btree_not_null")
    wallet_id = LooseMany2one("points.wallet", readonly=True, index="btree_not_null")
    key = fields.Char(readonly=True, help="Unique per pool: the same source is requested once.")
    source_model = fields.Char(readonly=True)
    source_id = fields.Many2oneReference("Source ID", model_field="source_model", readonly=True)
    spend = fields.Monetary(readonly=True)
    contribution = fields.Monetary(readonly=True)
    points = fields.Float(digits=(16, 4), readonly=True, help="Points to sell or redeem.")
    amount = fields.Monetary(
        readonly=True,
        help="Injected amount, the amount points pay exactly, or the refunded value given back as points.")
    ratio = fields.Float(digits=(6, 4), readonly=True, help="Share of the contribution to reverse.")
    mint_ratio = fields.Float(
        digits=(5, 4), readonly=True,
        help="Mint ratio of a contribution set by its store or product category; 0: the pool's at its turn.")
    memo = fields.Char(readonly=True)
    counter_account_id = fields.Many2one("account.account", readonly=True)
    original_id = LooseMany2one("points.pool.request", readonly=True, index="btree_not_null",
                                help="The contribution a reversal takes back, or the redemption a refund gives back.")
    reserved_points = fields.Float(
        digits=(16, 4), readonly=True,
        help="Points held back from the member's available points until the request is applied or refused.")
    reserved_cash = fields.Monetary(
        readonly=True, help="Cash held back from the member's available cash until the request is applied or refused.")
    payload = fields.Json(readonly=True, help="Wallet movements handed to the sequencer by other modules.")
    ledger_id = fields.Many2one("points.ledger", "Event Row", readonly=True, help="The ledger row of the event itself.")
    ledger_ids = fields.One2many("points.ledger", "request_id", "Ledger Rows", help="Every row the request wrote (forced exits too).")
    refusal_reason = fields.Text(readonly=True)
    applied_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("key_uniq", "unique(pool_id, key)", "This source was already requested."),
    ]

    def init(self):
        # The sequencer reads the pending requests of its pool in order; reservations sum a member's pending ones.
        create_index(self.env.cr, "points_pool_request_pending_index", self._table, ["pool_id", "id"],
                     where="state = 'pending'")
        create_index(self.env.cr, "points_pool_request_reserved_index", self._table, ["wallet_id"],
                     where="state = 'pending' AND (reserved_points > 0 OR reserved_cash > 0)")
        # Refusals are rare and looked for (the Refused filter, the member's notice).
        create_index(self.env.cr, "points_pool_request_refused_index", self._table, ["pool_id", "id"],
                     where="state = 'refused'")

    @api.depends("kind", "partner_id")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for request in self:
            parts = [f"REQ/{request.id}" if request.id else "REQ", labels.get(request.kind, "")]
            if request.partner_id:
                parts.append(request.partner_id.display_name)
            request.display_name = " ".join(parts)

    def write(self, vals):
        raise UserError(_("Pool requests are applied by the pool's sequencer and cannot be changed."))

    def unlink(self):
        raise UserError(_("Pool requests cannot be deleted: they are the pool's order of events."))

    # -- what callers read --------------------------------------------------------
    def _check_applied(self):
        """Raises the refusal reason of a refused request (single-user callers that need the outcome)."""
        for request in self:
            if request.state == "refused":
                raise UserError(_("The profit pool refused %(request)s: %(reason)s",
                                  request=request.display_name, reason=request.refusal_reason))
        return self

    def _open_action(self):
        """The request's form: its ledger rows once applied, its refusal reason if refused."""
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form",
                "views": [(self.env.ref("points_pool.points_pool_request_view_form").id, "form")]}

    # -- hooks ------------------------------------------------------------------------
    def _on_applied(self):
        """Called by the sequencer with the requests it just applied or refused (hook for channels).

        Runs in the sequencer's transaction, after the ledger rows are written: keep it short.
        """
        return True

    @api.model
    def _exclusive_kinds(self):
        """Kinds applied alone, in a drain of their own, by :meth:`_apply_exclusive` (set-wise SQL runs)."""
        return set()

    @api.model
    def _apply_exclusive(self, pool, request):
        """Applies one exclusive request (a dict of its columns) on the locked pool; returns its ledger rows.

        Modules that add an exclusive kind implement it; they write balances in SQL, as the
        sequencer's own bulk writes do, and may raise ``Refusal`` to refuse the request.
        """
        raise Refusal(f"unknown request kind {request['kind']}")

    @api.model
    def _apply_kind(self, batch, request):
        """Hook for request kinds other modules add: run them on ``batch.seq`` and return the steps."""
        raise Refusal(f"unknown request kind {request['kind']}")

    # -- the sequencer -------------------------------------------------------------------
    @api.model
    def _apply_locked(self, pool, limit=DRAIN_BATCH):
        """Applies the pending requests of ``pool`` in order; the caller holds the pool row lock.

        Loads the pool and the named wallets once, runs the engine in memory, writes the
        ledger rows, wallets, requests and pool in a few statements, posts the journal
        entries (real-time accounting) and returns the ledger rows written.
        """
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(SQL(
            """SELECT id, kind, wallet_id, partner_id, key, source_model, source_id, spend, contribution, points,
                      amount, ratio, mint_ratio, memo, counter_account_id, original_id, payload
                 FROM points_pool_request WHERE pool_id = %s AND state = 'pending' ORDER BY id LIMIT %s""",
            pool.id, limit))
        requests = cr.dictfetchall()
        if not requests:
            return self.env["points.ledger"]
        exclusive = self._exclusive_kinds()
        if requests[0]["kind"] in exclusive:
            return self._apply_exclusive_request(pool, requests[0])
        for index, request in enumerate(requests):
            if request["kind"] in exclusive:
                requests = requests[:index]
                break
        batch = _Batch(self.env, pool, requests)
        batch.run()
        rows = batch.write()
        self.env.invalidate_all()
        self.browse([request["id"] for request in requests])._on_applied()
        return rows


    def _apply_exclusive_request(self, pool, request):
        cr = self.env.cr
        reason, rows = None, self.env["points.ledger"]
        try:
            with cr.savepoint():
                rows = self._apply_exclusive(pool.sudo(), request)
        except Refusal as refusal:
            reason = str(refusal)
        cr.execute(SQL(
            """UPDATE points_pool_request
                  SET state = %s, refusal_reason = %s, ledger_id = %s, applied_at = now() at time zone 'UTC',
                      reserved_points = 0, reserved_cash = 0
                WHERE id = %s""",
            "refused" if reason else "applied", reason, rows[:1].id or None, request["id"]))
        cr.execute(SQL("UPDATE points_pool_state SET applied_count = COALESCE(applied_count, 0) + 1 WHERE pool_id = %s",
                       pool.id))
        self.env.invalidate_all()
        self.browse(request["id"])._on_applied()
        return rows


class _Batch:
    """One drain: the requests, the engine run over them, and the bulk writes of the result."""

    def __init__(self, env, pool, requests):
        self.env = env
        self.pool = pool.sudo()
        self.requests = requests
        self.digits = self.pool.currency_id.decimal_places
        self.now = fields.Datetime.now()
        self.outcomes = {}  # request id -> (state, reason, first step index)
        self.originals = {}  # contribution request id -> dict of the contribution's figures
        self.pool_deltas = {}
        self.extra_values = {}  # step index -> extra ledger columns (movements)
        self.keys = {}  # step index -> ledger key
        self.sources = {}  # step index -> (model, id)
        cr = env.cr
        if any(request["kind"] == "settle" for request in requests):
            self._reprice()
        cr.execute(SQL(
            """SELECT state.balance, state.circulating_points, state.last_price, pool.initial_price
                 FROM points_pool_state state JOIN points_pool pool ON pool.id = state.pool_id
                WHERE state.pool_id = %s""", pool.id))
        balance, points, last_price, initial_price = cr.fetchone()
        engine_pool = Pool(self.pool._engine_params(), balance=money_half_up(to_decimal(balance or 0), self.digits),
                           points=points_down(to_decimal(points or 0)),
                           last_price=to_decimal(last_price or 0) or to_decimal(initial_price))
        self.seq = Sequencer(engine_pool, candidates=self._candidates)
        wallet_ids = {request["wallet_id"] for request in requests if request["wallet_id"]}
        for request in requests:
            for entry in (request["payload"] or {}).get("entries", []):
                if entry.get("wallet_id"):
                    wallet_ids.add(entry["wallet_id"])
        self._load_originals(requests)
        self.redemptions = {}  # redeem request id -> dict of the redemption's figures
        self._load_redemptions(requests)
        wallet_ids |= {redemption["wallet_id"] for redemption in self.redemptions.values()}
        wallet_ids |= {original["wallet_id"] for original in self.originals.values()}
        for account in self._load_accounts(SQL("id = ANY(%s::int[])", _array(sorted(wallet_ids)))):
            self.seq.add(account)

    # -- loading ----------------------------------------------------------------------
    def _reprice(self):
        """Every wallet's stored exit price at the pool's exit multiple (it changed), in one statement.

        The same rule as ``Cycle.exit_price``: rounded down to 6 decimals.
        """
        self.env.cr.execute(SQL(
            """UPDATE points_wallet
                  SET exit_price = CASE WHEN points > 0 AND %(multiple)s > 0
                      THEN GREATEST(FLOOR((%(multiple)s * COALESCE(cycle_spend, 0) - COALESCE(cycle_realized, 0))
                                          / points * 1000000) / 1000000, 0) END
                WHERE pool_id = %(pool)s""",
            multiple=self.pool.exit_multiple, pool=self.pool.id))

    def _load_accounts(self, condition, order=SQL("id"), limit=None):
        cr = self.env.cr
        cr.execute(SQL(
            """SELECT id, partner_id, points, cycle_spend, cycle_realized, cycle_number, cash_balance,
                      frozen_balance, lifetime_spend, exit_count, state, exit_price
                 FROM points_wallet WHERE pool_id = %s AND %s ORDER BY %s %s""",
            self.pool.id, condition, order, SQL("LIMIT %s", limit) if limit else SQL()))
        digits = self.digits
        accounts = []
        for (wallet_id, partner_id, points, spend, realized, cycle_number, cash, frozen, lifetime, exits, state,
             exit_price) in cr.fetchall():
            account = Account(
                id=wallet_id,
                cycle=Cycle(spend=money_half_up(to_decimal(spend or 0), digits),
                            realized=money_half_up(to_decimal(realized or 0), digits),
                            points=points_down(to_decimal(points or 0))),
                cycle_number=cycle_number or 1, cash=money_half_up(to_decimal(cash or 0), digits),
                frozen=money_half_up(to_decimal(frozen or 0), digits),
                lifetime_spend=money_half_up(to_decimal(lifetime or 0), digits), exits=exits or 0,
                state=state or "active",
                stored_exit_price=to_decimal(exit_price) if exit_price is not None else None)
            account.partner_id = partner_id
            accounts.append(account)
        return accounts

    def _candidates(self, after, limit):
        """Wallets by stored exit price, after ``after`` = (price, id): the forced-exit frontier."""
        if after is None:
            condition = SQL("exit_price IS NOT NULL")
        else:
            condition = SQL("exit_price IS NOT NULL AND (exit_price, id) > (%s, %s)", float(after[0]), after[1])
        return self._load_accounts(condition, order=SQL("exit_price, id"), limit=limit)

    def _load_originals(self, requests):
        """Figures of the contributions the batch's reversals take back (applied ones from their ledger row)."""
        ids = {request["original_id"] for request in requests if request["kind"] == "reverse"}
        if not ids:
            return
        cr = self.env.cr
        cr.execute(SQL(
            """SELECT request.id, request.state, ledger.id, ledger.wallet_id, ledger.points_delta, ledger.amount,
                      ledger.spend, ledger.reversed_ratio, ledger.cycle_number
                 FROM points_pool_request request LEFT JOIN points_ledger ledger ON ledger.id = request.ledger_id
                WHERE request.id = ANY(%s)""", sorted(ids)))
        for request_id, state, ledger_id, wallet_id, minted, amount, spend, done, cycle_number in cr.fetchall():
            if state == "applied" and ledger_id:
                self.originals[request_id] = {
                    "ledger_id": ledger_id, "wallet_id": wallet_id, "minted": to_decimal(minted or 0),
                    "amount": to_decimal(amount or 0), "spend": to_decimal(spend or 0),
                    "done": to_decimal(done or 0), "cycle_number": cycle_number, "step": None}

    def _load_redemptions(self, requests):
        """Figures of the redemptions the batch's restores give back: what they paid, what is given back already."""
        ids = {request["original_id"] for request in requests if request["kind"] == "restore"}
        if not ids:
            return
        cr = self.env.cr
        cr.execute(SQL(
            """SELECT request.id, ledger.id, ledger.wallet_id, ledger.amount, ledger.cycle_number,
                      (SELECT COALESCE(SUM(back.amount), 0) FROM points_ledger back
                        WHERE back.reversal_of_id = ledger.id AND back.event = 'restore')
                 FROM points_pool_request request JOIN points_ledger ledger ON ledger.id = request.ledger_id
                WHERE request.id = ANY(%s) AND request.state = 'applied' AND request.kind = 'redeem'
                  AND ledger.event = 'redeem'""", sorted(ids)))
        for request_id, ledger_id, wallet_id, amount, cycle_number, restored in cr.fetchall():
            self.redemptions[request_id] = {
                "ledger_id": ledger_id, "wallet_id": wallet_id, "amount": to_decimal(amount or 0),
                "restored": to_decimal(restored or 0), "cycle_number": cycle_number}

    # -- running ----------------------------------------------------------------------------
    def run(self):
        with localcontext(CONTEXT):
            self._run()

    def _run(self):
        seq = self.seq
        for request in self.requests:
            start = len(seq.steps)
            seq.request = request["id"]
            pool_deltas = dict(self.pool_deltas)
            try:
                seq.attempt(lambda: self._apply(request))
            except Refusal as refusal:
                self.pool_deltas = pool_deltas
                for values in (self.keys, self.sources, self.extra_values):
                    for index in [index for index in values if index >= start]:
                        del values[index]
                self.outcomes[request["id"]] = ("refused", str(refusal), None)
                continue
            self.outcomes[request["id"]] = ("applied", None, start if len(seq.steps) > start else None)
        seq.request = None

    def _apply(self, request):
        seq, kind = self.seq, request["kind"]
        account = seq.accounts.get(request["wallet_id"])
        if kind in ("contribute", "sell", "redeem", "reverse", "restore") and account is None:
            raise Refusal("the member has no wallet in this pool")
        source = (request["source_model"], request["source_id"]) if request["source_model"] else None
        if kind == "contribute":
            mint_ratio = to_decimal(request.get("mint_ratio") or 0) or seq.pool.params.mint_ratio
            steps = seq.contribute(account, to_decimal(request["spend"]), to_decimal(request["contribution"]),
                                   mint_ratio=mint_ratio)
            self.extra_values[len(seq.steps) - len(steps)] = {"mint_ratio": mint_ratio}
            self.originals[request["id"]] = {
                "ledger_id": None, "wallet_id": account.id, "minted": steps[0].movement.points,
                "amount": steps[0].movement.money, "spend": to_decimal(request["spend"]), "done": Decimal(0),
                "cycle_number": steps[0].cycle_number, "step": len(seq.steps) - len(steps)}
        elif kind == "sell":
            minimum = self.pool.min_sell_amount or None
            if self.pool.min_lifetime_spend and account.lifetime_spend < to_decimal(self.pool.min_lifetime_spend):
                raise Refusal("the member has not spent enough to sell points yet")
            steps = seq.sell(account, points_down(to_decimal(request["points"])), min_value=minimum)
        elif kind == "redeem":
            if request["amount"]:
                steps = seq.redeem_amount(account, to_decimal(request["amount"]))
            else:
                steps = seq.redeem(account, points_down(to_decimal(request["points"])))
        elif kind == "inject":
            steps = seq.inject(to_decimal(request["amount"]))
        elif kind == "restore":
            steps = self._restore(request)
        elif kind == "reverse":
            steps = self._reverse(request, account)
        elif kind == "movements":
            steps = self._movements(request)
        elif kind == "settle":
            steps = seq.settle_exits()
        else:
            steps = self._apply_other(request)
        first = len(seq.steps) - len(steps)
        if steps and kind != "movements":
            self.keys[first] = request["key"]
            if source:
                self.sources[first] = source
            if kind == "inject":
                self.extra_values[first] = {"memo": request["memo"],
                                            "counter_account_id": request["counter_account_id"]}
        return steps

    def _apply_other(self, request):
        return self.env["points.pool.request"]._apply_kind(self, request)

    def _reverse(self, request, account):
        original = self.originals.get(request["original_id"])
        if not original:
            raise Refusal("the contribution to reverse was not applied")
        account = self.seq.accounts[original["wallet_id"]]
        ratio = to_decimal(request["ratio"])
        if original["done"] + ratio > 1:
            raise Refusal("the contribution is already reversed")
        same_cycle = original["cycle_number"] == account.cycle_number
        plan = ReversalPlan.build(
            original["minted"], original["amount"], original["spend"], original["done"], ratio,
            held=account.cycle.points if same_cycle else 0, same_cycle=same_cycle, money_digits=self.digits)
        steps = self.seq.reverse(account, plan)
        original["done"] += ratio
        original["touched"] = True
        self.extra_values[len(self.seq.steps) - len(steps)] = {
            "reversal_of_id": original["ledger_id"], "reversal_of_step": original["step"]}
        return steps

    def _restore(self, request):
        """Gives back as points what a refunded redemption paid, never more than it paid (all restores together)."""
        redemption = self.redemptions.get(request["original_id"])
        if not redemption:
            raise Refusal("the redemption to refund was not applied")
        amount = money_half_up(to_decimal(request["amount"]), self.digits)
        if redemption["restored"] + amount > redemption["amount"]:
            raise Refusal(f"the redemption paid {redemption['amount']}, of which {redemption['restored']} "
                          f"is given back already: {amount} more is too much")
        account = self.seq.accounts[redemption["wallet_id"]]
        steps = self.seq.restore(account, amount, same_cycle=redemption["cycle_number"] == account.cycle_number)
        redemption["restored"] += amount
        self.extra_values[len(self.seq.steps) - len(steps)] = {"reversal_of_id": redemption["ledger_id"]}
        return steps

    def _movements(self, request):
        """Wallet movements handed over by other modules: rewards, rebates, withdrawals, transfers."""
        payload = request["payload"] or {}
        for name, delta in (payload.get("pool") or {}).items():
            if name not in self.pool._balance_columns():
                raise Refusal(f"{name} is not a balance of the pool")
            total = to_decimal(self.pool[name] or 0) + self.pool_deltas.get(name, Decimal(0)) + to_decimal(delta)
            if to_decimal(delta) < 0 and total < 0:
                raise Refusal(f"the pool's {self.pool._fields[name].string.lower()} is too small")
        done_keys = self._existing_keys([entry.get("key") for entry in payload.get("entries", [])])
        steps = []
        for entry in payload.get("entries", []):
            if entry.get("key") and entry["key"] in done_keys:
                continue
            account = self.seq.accounts.get(entry.get("wallet_id")) if entry.get("wallet_id") else None
            if entry.get("wallet_id") and account is None:
                raise Refusal("the member has no wallet in this pool")
            new = self.seq.move(entry["event"], account, entry.get("amount", 0), cash=entry.get("cash", 0),
                                frozen=entry.get("frozen", 0), points=entry.get("points", 0),
                                gross=entry.get("gross", 0), overdraft=entry.get("overdraft", True))
            index = len(self.seq.steps) - len(new)
            self.keys[index] = entry.get("key")
            if entry.get("source_model"):
                self.sources[index] = (entry["source_model"], entry["source_id"])
            self.extra_values[index] = dict(entry.get("ledger") or {}, partner_id=entry.get("partner_id"))
            done_keys.add(entry.get("key"))
            steps += new
        # A request whose rows are all in the ledger already was applied before: its pool deltas too.
        if steps or not payload.get("entries"):
            for name, delta in (payload.get("pool") or {}).items():
                self.pool_deltas[name] = self.pool_deltas.get(name, Decimal(0)) + to_decimal(delta)
        return steps

    def _existing_keys(self, keys):
        keys = [key for key in keys if key]
        if not keys:
            return set()
        self.env.cr.execute(SQL("SELECT key FROM points_ledger WHERE pool_id = %s AND key = ANY(%s)",
                                self.pool.id, keys))
        return {key for (key,) in self.env.cr.fetchall()} | {key for key in self.keys.values() if key in keys}

    # -- writing ----------------------------------------------------------------------------------
    def write(self):
        seq, cr, env = self.seq, self.env.cr, self.env
        Ledger = env["points.ledger"]
        steps = seq.steps
        ids = []
        if steps:
            cr.execute(SQL("SELECT nextval('points_ledger_id_seq') FROM generate_series(1, %s)", len(steps)))
            ids = sorted(row[0] for row in cr.fetchall())
        columns = list(LEDGER_COLUMNS)
        extra_columns = sorted({name for values in self.extra_values.values() for name in values
                                if name in Ledger._fields and name not in columns})
        columns += extra_columns
        frozen = "frozen_delta" in Ledger._fields
        rows = []
        for index, step in enumerate(steps):
            extra = self.extra_values.get(index, {})
            movement = step.movement
            points_delta = step.points_delta if step.points_delta is not None else movement.points_delta
            key = self.keys.get(index)
            if step.event == "exit":
                key = idempotency_key("exit", step.account.id, step.cycle_number)
            source = self.sources.get(index, (None, None))
            reversal_of = extra.get("reversal_of_id")
            if not reversal_of and extra.get("reversal_of_step") is not None:
                reversal_of = ids[extra["reversal_of_step"]]
            values = {
                "event": step.event,
                "partner_id": extra.get("partner_id") or (step.account.partner_id if step.account else None),
                "wallet_id": step.account.id if step.account else None, "cycle_number": step.cycle_number,
                "key": key or None, "source_model": source[0], "source_id": source[1],
                "reversal_of_id": reversal_of, "reversed_ratio": 0, "memo": extra.get("memo"),
                "points_delta": points_delta, "balance_delta": movement.balance_delta,
                "cash_delta": step.cash_delta, "amount": movement.money, "debt": step.debt or extra.get("debt") or 0,
                "spend": step.spend, "mint_value": movement.mint_value, "gross_value": movement.gross,
                "fee": movement.fee, "price_before": movement.price_before, "price_after": movement.price_after,
                "balance_after": movement.balance_after, "points_after": movement.points_after,
                "counter_account_id": extra.get("counter_account_id"), "request_id": step.request,
            }
            if frozen:
                values["frozen_delta"] = step.frozen_delta
            for name in extra_columns:
                values.setdefault(name, extra.get(name))
            rows.append(values)
        if frozen and "frozen_delta" not in columns:
            columns.append("frozen_delta")
        # Contributions reversed in this batch store their new reversed share.
        reversed_ratios = {}
        for original in self.originals.values():
            if original.get("touched"):
                if original["ledger_id"]:
                    reversed_ratios[original["ledger_id"]] = original["done"]
                else:
                    rows[original["step"]]["reversed_ratio"] = original["done"]
        if rows:
            shared = {"pool_id": self.pool.id, "company_id": self.pool.company_id.id, "date": self.now,
                      "create_uid": env.uid, "write_uid": env.uid, "create_date": self.now, "write_date": self.now}
            _insert(cr, Ledger, ids, columns, rows, self.digits, shared)
        for ledger_id, done in reversed_ratios.items():
            cr.execute(SQL("UPDATE points_ledger SET reversed_ratio = %s WHERE id = %s", float(done), ledger_id))
        self._write_wallets()
        self._write_requests(ids)
        self._write_pool()
        ledger = Ledger.sudo().browse(ids)
        env.invalidate_all()
        self._post(ledger)
        return ledger

    def _write_wallets(self):
        accounts = [account for account in self.seq.accounts.values() if account.dirty]
        if not accounts:
            return
        multiple = self.seq.multiple
        data = [[], [], [], [], [], [], [], [], [], [], [], []]
        for account in accounts:
            exit_price = account.exit_price(multiple) if multiple > 0 else None
            for column, value in zip(data, (
                    account.id, account.cycle.points, account.cycle.spend, account.cycle.realized,
                    exit_price, account.cash, account.frozen, cash_debt(account.cash),
                    account.lifetime_spend, account.cycle_number, account.exits, account.state)):
                column.append(value)
        self.env.cr.execute(SQL(
            """UPDATE points_wallet wallet
                  SET points = data.points, cycle_spend = data.spend, cycle_realized = data.realized,
                      exit_price = data.exit_price, cash_balance = data.cash, frozen_balance = data.frozen,
                      debt = data.debt, lifetime_spend = data.lifetime, cycle_number = data.cycle_number,
                      exit_count = data.exits, state = data.state, write_uid = %s, write_date = %s
                 FROM unnest(%s::int[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[],
                             %s::numeric[], %s::numeric[], %s::numeric[], %s::int[], %s::int[], %s::varchar[])
                      AS data(id, points, spend, realized, exit_price, cash, frozen, debt, lifetime, cycle_number,
                              exits, state)
                WHERE wallet.id = data.id""",
            self.env.uid, self.now, *[_array(column) for column in data]))

    def _write_requests(self, ids):
        ids_by_step = {}
        for index, step in enumerate(self.seq.steps):
            ids_by_step.setdefault(step.request, ids[index])
        data = [[], [], [], []]
        for request in self.requests:
            state, reason, _first = self.outcomes[request["id"]]
            for column, value in zip(data, (request["id"], state, reason, ids_by_step.get(request["id"]))):
                column.append(value)
        self.env.cr.execute(SQL(
            """UPDATE points_pool_request request
                  SET state = data.state, refusal_reason = data.reason, ledger_id = data.ledger_id,
                      applied_at = %s, reserved_points = 0, reserved_cash = 0, write_uid = %s, write_date = %s
                 FROM unnest(%s::int[], %s::varchar[], %s::text[], %s::int[]) AS data(id, state, reason, ledger_id)
                WHERE request.id = data.id""",
            self.now, self.env.uid, self.now, *[_array(column) for column in data]))

    def _write_pool(self):
        pool = self.seq.pool
        assignments = [SQL("%s = COALESCE(%s, 0) + %s", SQL.identifier(name), SQL.identifier(name), float(delta))
                       for name, delta in self.pool_deltas.items()]
        # Every drain rewrites the balance row, even one of wallet movements only: a caller that locks the row
        # unchanged since its snapshot began then knows its snapshot holds the latest balances.
        self.env.cr.execute(SQL(
            """UPDATE points_pool_state SET balance = %s, circulating_points = %s, last_price = %s,
                      applied_count = COALESCE(applied_count, 0) + %s, write_date = %s %s WHERE pool_id = %s""",
            str(pool.balance), str(pool.points), str(pool.last_price),
            len(self.requests), self.now, SQL(", ").join([SQL(""), *assignments]) if assignments else SQL(),
            self.pool.id))

    def _post(self, ledger):
        """Journal entry of the drain for the rows the pool posts at once (``points.pool._posts_immediately``).

        The others wait with no entry: for the batch, or for what books them (a POS session's closing).
        In batch mode what points paid is posted at once, one pair of lines each: invoices reconcile with it.
        """
        pool = self.pool
        rows = ledger.filtered(pool._posts_immediately)
        if rows:
            pool._post_entry(rows, detailed=None if pool.accounting_mode == "realtime" else True)


def _array(values):
    """``values`` as one PostgreSQL array literal (cast it in the query: ``%s::numeric[]``).

    A Python list would become ``ARRAY[...]`` with one quoted value per element: for the
    thousands of rows of a drain, slower to build, to send and to parse than one literal.
    """
    return "{" + ",".join(map(_array_element, values)) + "}"


def _array_element(value):
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


#: Characters PostgreSQL's COPY text format escapes.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_formatter(env, field, money_digits):
    """A function writing a value of ``field`` in COPY text format, rounded as the ORM stores it."""
    if field.type in ("monetary", "float"):
        digits = money_digits if field.type == "monetary" else (field.get_digits(env) or (None, None))[1]
        unit = Decimal(1).scaleb(-digits) if digits is not None else None

        def number(value):
            if value is None or value is False:
                return "\\N"
            if unit is not None and isinstance(value, Decimal):
                return str(value.quantize(unit, rounding=ROUND_HALF_UP, context=CONTEXT))
            return str(value)
        return number
    if field.type in ("char", "text", "selection", "html"):
        def text(value):
            return "\\N" if value is None or value is False else str(value).translate(COPY_ESCAPES)
        return text
    if field.type == "datetime":
        def timestamp(value):
            return "\\N" if not value else value.isoformat(sep=" ")
        return timestamp
    if field.type == "boolean":
        def boolean(value):
            return "\\N" if value is None else ("t" if value else "f")
        return boolean

    def integer(value):
        return "\\N" if value is None or value is False else str(value)
    return integer


def _insert(cr, Ledger, ids, columns, rows, money_digits, shared):
    """Writes every row with one COPY (the fastest way into PostgreSQL; constraints and indexes apply as usual).

    ``rows`` hold a value for each of ``columns``; ``shared`` are the values every row has in
    common (pool, date, author), formatted once.
    """
    def formatter(name):
        return _copy_formatter(Ledger.env, Ledger._fields[name], money_digits)

    formatters = [formatter(name) for name in columns]
    tail = "".join("\t" + formatter(name)(value) for name, value in shared.items())
    values_of = operator.itemgetter(*columns)
    lines = [
        "\t".join([str(row_id), *[format_value(value) for format_value, value in zip(formatters, values_of(row))]])
        + tail
        for row_id, row in zip(ids, rows)]
    cr.flush()
    cr._obj.copy_expert(
        SQL("COPY points_ledger (id, %s) FROM STDIN",
            SQL(", ").join(SQL.identifier(name) for name in (*columns, *shared))).code,
        io.StringIO("\n".join(lines) + "\n"))
