from contextlib import contextmanager
from decimal import Decimal

import logging
import weakref

from odoo import SUPERUSER_ID, _, api, models
from odoo.modules.registry import Registry
from odoo.tools import SQL

from odoo.addons.points_engine.rounding import to_decimal

from .points_pool_request import BUSY_ERRORS


_logger = logging.getLogger(__name__)
#: Cursor -> ids of the pools whose requests wait for the end of an ``_applying_together`` block on it.
#: (Not ``cr.precommit.data``: every flush, a savepoint included, runs and clears it.)
DEFERRED_POOLS = weakref.WeakKeyDictionary()


class PointsPool(models.Model):
    _inherit = "points.pool"

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
    def _company_work_queues(self):
        """``[(table, condition)]``: the tables where modules queue work of a company for its pool's sequencer
        (a ``company_id`` column; ``condition`` an ``SQL`` the rows waiting meet, or None for every row).

        Hook: a module that queues changes the sequencer applies under the pool lock (team statistics,
        chain events) adds its table, and drains and the safety-net job see them.
        """
        return []

    @api.model
    def _pools_with_pending_work(self):
        """Pools the sequencer has work for: pending requests, or rows waiting in :meth:`_company_work_queues`."""
        cr = self.env.cr
        cr.execute(SQL("SELECT DISTINCT pool_id FROM points_pool_request WHERE state = 'pending'"))
        pools = self.browse([pool_id for (pool_id,) in cr.fetchall()])
        for table, condition in self._company_work_queues():
            cr.execute(SQL("SELECT DISTINCT company_id FROM %s WHERE %s", SQL.identifier(table),
                           condition or SQL("TRUE")))
            companies = [company_id for (company_id,) in cr.fetchall()]
            if companies:
                pools |= self.search([("company_id", "in", companies)])
        return pools

    def _has_pending_work(self):
        """Whether the sequencer has work for the pool: pending requests, or what modules queue for it."""
        self.ensure_one()
        cr = self.env.cr
        cr.execute(SQL("SELECT 1 FROM points_pool_request WHERE pool_id = %s AND state = 'pending' LIMIT 1", self.id))
        if cr.fetchone():
            return True
        for table, condition in self._company_work_queues():
            cr.execute(SQL("SELECT 1 FROM %s WHERE company_id = %s AND %s LIMIT 1", SQL.identifier(table),
                           self.company_id.id, condition or SQL("TRUE")))
            if cr.fetchone():
                return True
        return False

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
