from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, LazyTranslate

from odoo.addons.points_engine.rebate import DEFAULT_LOCK_DAYS, threshold_release_due
from odoo.addons.points_engine.rounding import money_half_up, to_decimal
from odoo.addons.points_pool.models.points_pool_accounting import pool_account

from .points_ledger import REBATE_EVENTS, REVERSAL_LINKS, reversal_link

_lt = LazyTranslate(__name__)


class PointsPool(models.Model):
    """The company's rebate pool (its balance, parameters and accounts); it asks for the static release runs."""

    _inherit = "points.pool"

    rebate_balance = fields.Monetary(
        "Rebate Pool Balance", compute="_compute_balances",
        help="Money in the rebate pool: fed by the allocation plans' rebate bucket and injections, paid out by "
             "rebate releases.")
    rebate_min_amount = fields.Monetary(
        "Minimum Qualifying Amount", default=100.0, tracking=True,
        help="Order lines of at least this untaxed amount queue a rebate (0 = every line of a plan with a rebate "
             "bucket).")
    rebate_rate = fields.Float(
        "Rebate Share of the Line", digits=(5, 4), default=1.0, tracking=True,
        help="Share of a qualifying line queued as rebate.")
    rebate_lock_days = fields.Integer(
        "Default Lock Period", default=DEFAULT_LOCK_DAYS, tracking=True,
        help="Days a queued rebate stays locked when neither its product nor its plan sets a lock period. The "
             "day of the order counts as the first.")
    rebate_acceleration_rate = fields.Float(
        "Accelerated Release", digits=(5, 4), default=0.20, tracking=True,
        help="Share of a referee's paid order released at once from the referrer's oldest queued rebate "
             "(0 = no accelerated release).")
    rebate_indirect_acceleration_rate = fields.Float(
        "Accelerated Release by Indirect Referees", digits=(5, 4), default=0.0, tracking=True,
        help="Share of an indirect referee's (a referee's referee's) paid order released at once from the member's "
             "oldest queued rebate (0 = none).")
    rebate_release_threshold = fields.Monetary(
        "Release When the Rebate Pool Reaches", tracking=True,
        help="When money fed or injected brings the rebate pool to this amount, the due rebates are released at "
             "once (a queued static release run) instead of waiting for the daily job; 0 = only the daily job.")
    rebate_account_id = pool_account(_lt("Rebate pool liability"), "liability_current", "219500")
    rebate_expense_account_id = pool_account(_lt("Rebate pool contributions"), "expense", "619500")
    rebate_queued_amount = fields.Monetary(compute="_compute_rebate_queue", string="Queued Rebates",
                                           help="What the queue still waits for.")
    rebate_queued_count = fields.Integer(compute="_compute_rebate_queue", string="Queued Entries")
    rebate_due_amount = fields.Monetary(compute="_compute_rebate_queue", string="Due Rebates",
                                        help="What is queued and past its lock period today.")

    @api.model
    def _balance_columns(self):
        return super()._balance_columns() + ["rebate_balance"]

    def _compute_rebate_queue(self):
        today = fields.Date.context_today(self)
        Entry = self.env["points.rebate.entry"].sudo()
        queued = {pool: (count, total) for pool, count, total in Entry._read_group(
            [("pool_id", "in", self.ids), ("state", "=", "queued")], ["pool_id"], ["__count", "remaining:sum"])}
        due = dict(Entry._read_group([("pool_id", "in", self.ids), ("state", "=", "queued"),
                                      ("due_date", "<=", today)], ["pool_id"], ["remaining:sum"]))
        for pool in self:
            pool.rebate_queued_count, pool.rebate_queued_amount = queued.get(pool, (0, 0.0))
            pool.rebate_due_amount = due.get(pool, 0.0)

    @api.constrains("rebate_min_amount", "rebate_rate", "rebate_lock_days", "rebate_acceleration_rate",
                    "rebate_indirect_acceleration_rate", "rebate_release_threshold")
    def _check_rebate_parameters(self):
        for pool in self:
            if pool.rebate_min_amount < 0:
                raise ValidationError(_("The minimum qualifying amount cannot be negative."))
            if not 0 < pool.rebate_rate <= 1:
                raise ValidationError(_("The rebate share of a line must be above 0 and at most 1 (100%)."))
            if pool.rebate_lock_days < 1:
                raise ValidationError(_("The default lock period is at least one day."))
            if not 0 <= pool.rebate_acceleration_rate <= 1 or not 0 <= pool.rebate_indirect_acceleration_rate <= 1:
                raise ValidationError(_("The acceleration must be between 0 and 1 (100%)."))
            if pool.rebate_release_threshold < 0:
                raise ValidationError(_("The rebate pool amount that releases the queue cannot be negative "
                                        "(0 = only the daily job)."))

    # -- actions ---------------------------------------------------------------------------
    def action_rebate_release_now(self):
        """A Points Manager runs today's static release at once (the daily job does the same)."""
        self._check_rebate_manager(_("Only a Points Manager may run the rebate release."))
        released = 0
        for pool in self.sudo():
            request = pool._rebate_release_due()
            pool._apply_pending()  # a single-user button: the manager waits for the run's figures
            released += request.rebate_release_count
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {"type": "success" if released else "info", "sticky": False,
                       "message": _("%s queued rebates released.", released) if released
                       else _("No queued rebate is due that the rebate pool can pay in full.")},
        }

    def action_open_rebate_queue(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_rebate.points_rebate_entry_action")
        action["domain"] = [("pool_id", "=", self.id)]
        action["context"] = {"search_default_queued": 1}
        return action

    def action_open_rebate_inject(self):
        self.ensure_one()
        self._check_rebate_manager(_("Only a Points Manager may inject money into the rebate pool."))
        return {
            "type": "ir.actions.act_window", "res_model": "points.rebate.inject.wizard", "view_mode": "form",
            "target": "new", "name": _("Fund the Rebate Pool"), "context": {"default_pool_id": self.id},
        }

    def _check_rebate_manager(self, message):
        if not self.env.su and not self.env.user.has_group("points_pool.group_points_manager"):
            raise AccessError(message)

    # -- service ---------------------------------------------------------------------------
    def rebate_inject(self, amount, memo, account=None, source=None):
        """Money enters the rebate pool from ``account`` (financing, subsidy); returns the pool's request.

        Idempotent on ``source``: asking again returns the first request.
        """
        self._check_rebate_manager(_("Only a Points Manager may inject money into the rebate pool."))
        amount = self._positive_amount(amount, _("The injected amount must be positive, not %s.", amount))
        pool = self.sudo()
        key = pool._source_key("rebate_inject", source)
        if key and pool._rebate_key_exists(key):
            return pool._rebate_request(key).with_env(self.env)
        account = account or pool.injection_account_id
        if not account:
            raise UserError(_("Choose the account the injected money comes from."))
        if account.company_ids and pool.company_id not in account.company_ids:
            raise UserError(_("The account %s does not belong to the pool's company.", account.display_name))
        request = pool._record_rebate_rows([{
            "event": "rebate_inject", "amount": amount, "rebate": amount, "source": source, "key": key, "memo": memo,
            "counter_account": account,
        }], key=key)
        return request.with_env(self.env)

    def _record_rebate_rows(self, entries, key=None):
        """Hands rebate movements to the pool's sequencer, the one writer of balances; returns the request.

        ``entries``: dicts with ``event``, ``amount``, ``rebate`` (change of the rebate pool) and optionally
        ``wallet``, ``partner``, ``cash``, ``debt``, ``source``, ``key``, ``entry`` (the queue entry),
        ``reversal_of`` (what a reversal gives back, see :meth:`_rebate_reversed_total`), ``memo``,
        ``counter_account``. The sequencer applies them together with their change of the
        rebate pool, or refuses the request if the rebate pool cannot pay it (nothing moves then).
        ``key``, unique in the pool, makes the request itself idempotent: give one whenever the rows
        have keys, since the rebate pool's change belongs to the request, not to its rows.
        """
        self.ensure_one()
        if not entries:
            return self.env["points.pool.request"]
        movements = [{
            "event": entry["event"], "amount": entry["amount"], "wallet": entry.get("wallet"),
            "partner": entry.get("partner"), "source": entry.get("source"), "key": entry.get("key"),
            "cash": entry.get("cash", 0), "debt": entry.get("debt", 0), "memo": entry.get("memo"),
            "counter_account": entry.get("counter_account"),
            "ledger": {"rebate_delta": to_decimal(entry["rebate"]), "rebate_entry_id": entry.get("entry"),
                       **reversal_link(entry.get("reversal_of"))},
        } for entry in entries]
        rebate = sum((to_decimal(entry["rebate"]) for entry in entries), Decimal(0))
        return self._submit_movements(movements, pool_deltas={"rebate_balance": rebate}, key=key)

    def _rebate_key_exists(self, key):
        """Whether ``key`` was requested of the pool already (pending, applied or refused) or is in its ledger."""
        return bool(self._rebate_request(key)) or bool(self.env["points.ledger"].sudo().search_count(
            [("pool_id", "=", self.id), ("key", "=", key)], limit=1))

    def _rebate_request(self, key):
        return self.env["points.pool.request"].sudo().search([("pool_id", "=", self.id), ("key", "=", key)], limit=1)

    def _rebate_reversed_total(self, original):
        """What the rows reversing ``original`` move: in the ledger, plus what pending requests will write.

        ``original`` is what the reversals name (:data:`REVERSAL_LINKS`): an accelerated release row, or the
        line's rebate allocation whose feeding is given back. Refunds compute their share from the cumulative
        total, so they count what the pool has not applied yet as well as what it has; a refused request
        returned nothing and counts for nothing.
        """
        column = REVERSAL_LINKS[original._name]
        self.env.flush_all()
        self.env.cr.execute(SQL(
            "SELECT COALESCE(sum(amount), 0) FROM points_ledger WHERE pool_id = %s AND %s = %s",
            self.id, SQL.identifier(column), original.id))
        in_ledger = to_decimal(self.env.cr.fetchone()[0])
        self.env.cr.execute(SQL(
            """SELECT COALESCE(sum((movement->>'amount')::numeric), 0)
                 FROM points_pool_request request, jsonb_array_elements(request.payload->'entries') movement
                WHERE request.pool_id = %s AND request.state = 'pending' AND request.kind = 'movements'
                  AND (movement->'ledger'->>%s)::integer = %s""",
            self.id, column, original.id))
        return money_half_up(in_ledger + to_decimal(self.env.cr.fetchone()[0]), self.currency_id.decimal_places)

    # -- static release (points.rebate.run: a million due entries in one run) -------------------
    @api.model
    def _cron_rebate_release(self):
        """Daily job: every company's static release of the day, handed to its pool's sequencer.

        The sequencer runs it at once when the pool is free, else right after this job's commit.
        """
        for pool in self.sudo().search([]):
            pool._rebate_release_due()

    def _rebate_release_due(self, today=None):
        """Asks the pool's sequencer for the static release of ``today`` (default: the company's today).

        Records the run (``points.rebate.run``) and returns the request it submitted; the
        request's ``rebate_release_count`` (and the run's figures) say how many entries the run
        released once applied. The run changes wallets and the rebate pool set-wise in SQL, so it
        is an exclusive request: the sequencer runs it alone, under the pool's lock (see
        ``points.rebate.run._release``). Callers that need the figures at once call
        ``_apply_pending()`` afterwards.
        """
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        pool = self.sudo()
        run = self.env["points.rebate.run"].sudo().create({"pool_id": pool.id, "date": today})
        # The memo is stored: written in the staff's language, not the cron user's.
        staff = pool._points_in_staff_lang()
        request = pool._submit("rebate_release", payload={"today": fields.Date.to_string(today), "run_id": run.id},
                               memo=staff.env._("Static rebate release of %s", fields.Date.to_string(today)))
        if not run.request_id:  # the sequencer links it when it applies the request at once
            run.request_id = request.id
        return request

    def _rebate_threshold_reached(self):
        """Whether the rebate pool holds the release threshold and a due entry waits that it can pay."""
        self.ensure_one()
        pool = self.sudo()
        if not pool.rebate_release_threshold:
            return False
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """SELECT remaining FROM points_rebate_entry
                WHERE pool_id = %s AND state = 'queued' AND due_date <= %s AND remaining > 0
                  AND COALESCE(pending_release, 0) = 0
                ORDER BY paid_at, id LIMIT 1""", pool.id, fields.Date.context_today(pool)))
        first = self.env.cr.fetchone()
        return threshold_release_due(to_decimal(pool.rebate_balance), to_decimal(pool.rebate_release_threshold),
                                     to_decimal(first[0]) if first else None)

    def _delay_rebate_threshold_release(self):
        """Queues the release the threshold triggers: a job of its own submits the exclusive release request, so
        that neither the checkout nor the pool's chain of events that fed the pool runs it."""
        for pool in self:
            staff = pool.sudo()._points_in_staff_lang()
            pool.sudo().with_delay(
                channel=pool._drain_channel(), identity_key=f"points.rebate.threshold:{pool.id}",
                description=staff.env._("Release the due rebates of %s (rebate pool threshold)",
                                         pool.display_name),
            )._job_rebate_threshold_release()

    def _job_rebate_threshold_release(self):
        """Queue job: submits today's static release when the threshold still holds; returns the request."""
        self.ensure_one()
        if not self._rebate_threshold_reached():
            return self.env["points.pool.request"]
        return self._rebate_release_due()

    # -- accounting -------------------------------------------------------------------------
    def _prepare_move_lines(self, row):
        if row.event not in REBATE_EVENTS:
            return super()._prepare_move_lines(row)
        rebate, expense, wallet = self.rebate_account_id, self.rebate_expense_account_id, self.wallet_account_id
        member = row.partner_id.id or False
        if row.event == "rebate_feed":
            return self._move_pair(row, expense, rebate, row.amount)
        if row.event == "rebate_inject":
            return self._move_pair(row, row.counter_account_id, rebate, row.amount)
        if row.event == "rebate_release":
            return self._move_pair(row, rebate, wallet, row.amount, credit_partner=member)
        if row.event == "rebate_feed_reverse":
            return self._move_pair(row, rebate, expense, row.amount)
        return self._move_pair(row, wallet, rebate, row.amount, debit_partner=member)

    def _reconciliation_sections(self):
        """Adds the rebate pool: its balance, the ledger's rebate movements and the rebate pool account."""
        sections = super()._reconciliation_sections()
        pool = self.sudo()
        Ledger = self.env["points.ledger"].sudo()
        domain = [("pool_id", "=", pool.id)]
        in_ledger = Ledger._read_group(domain, [], ["rebate_delta:sum"])[0][0] or 0.0
        figures = [(_("Ledger: sum of rebate pool movements"), in_ledger)]
        if pool.rebate_account_id:
            pending = Ledger._read_group(domain + [("move_id", "=", False)], [], ["rebate_delta:sum"])[0][0] or 0.0
            figures.append((_("General ledger: %s", pool.rebate_account_id.display_name),
                            -pool._account_balance(pool.rebate_account_id) + pending))
        return sections + [{
            "key": "rebate_pool", "name": _("Rebate pool"), "kind": "money",
            "reference_name": _("Rebate pool balance"), "reference": pool.rebate_balance, "figures": figures,
        }]

    # -- integrity ---------------------------------------------------------------------------
    def _integrity_checks(self, checks):
        """Adds the rebate checks: rebate pool balance = Σ ledger rebate movements = the rebate pool account;
        each queue entry's amounts add up; each release has its ledger row."""
        super()._integrity_checks(checks)
        pool = self.sudo()
        check = checks.check
        self.env.flush_all()  # the entry checks below read the tables directly
        Ledger = self.env["points.ledger"].sudo()
        in_ledger = Ledger._read_group([("pool_id", "=", pool.id)], [], ["rebate_delta:sum"])[0][0] or 0.0
        check(_("Σ ledger rebate movements = rebate pool balance"), pool.rebate_balance, in_ledger)
        if pool.rebate_balance < 0:
            check(_("The rebate pool is not negative"), 0.0, pool.rebate_balance)
        if pool.rebate_account_id:
            pending = Ledger._read_group([("pool_id", "=", pool.id), ("move_id", "=", False)], [],
                                         ["rebate_delta:sum"])[0][0] or 0.0
            check(_("General ledger rebate pool = rebate pool balance"), pool.rebate_balance - pending,
                  -pool._account_balance(pool.rebate_account_id))
        self.env.cr.execute(SQL(
            """SELECT count(*) FROM points_rebate_entry
                WHERE pool_id = %s
                  AND (round(amount - COALESCE(released_amount, 0) - COALESCE(cancelled_amount, 0)
                             - COALESCE(remaining, 0), 2) != 0
                       OR remaining < 0 OR COALESCE(released_amount, 0) < COALESCE(clawed_back_amount, 0))""", pool.id))
        check(_("Rebate entries: amount = released + cancelled + remaining"), 0, self.env.cr.fetchone()[0])
        self.env.cr.execute(SQL(
            """SELECT coalesce(sum(COALESCE(entry.released_amount, 0) - COALESCE(entry.clawed_back_amount, 0)), 0),
                      (SELECT coalesce(sum(cash_delta), 0) FROM points_ledger
                        WHERE pool_id = %(pool)s AND event IN ('rebate_release', 'rebate_clawback'))
                 FROM points_rebate_entry entry WHERE entry.pool_id = %(pool)s""", pool=pool.id))
        released, paid = self.env.cr.fetchone()
        check(_("Released rebates = Σ ledger rebate cash movements"), float(released), float(paid))

    def _dashboard_cards(self):
        cards = super()._dashboard_cards()
        cards.append({
            "key": "rebate_due", "label": _("Rebates Due"), "value": self.rebate_due_amount, "kind": "money",
            "sequence": 80, "action": "points_rebate.points_rebate_entry_action",
            "detail": _("%(amount)s queued in %(count)s entries",
                        amount=self.currency_id.format(self.rebate_queued_amount), count=self.rebate_queued_count),
        })
        return cards
