from odoo import _, api, fields, models
from odoo.tools import SQL

from odoo.addons.points_engine.rounding import money_half_up, to_decimal

RUN_STATES = [("pending", "Waiting for the Pool"), ("done", "Done"), ("refused", "Refused")]
#: A run paying more members than this posts their wallet-payable lines in one statement (see :meth:`_post_bulk`).
BULK_MEMBERS = 100
#: Columns of the wallet-payable line that differ per member; the others are the run's line's.
MEMBER_COLUMNS = ("partner_id", "debit", "credit", "balance", "amount_currency", "amount_residual",
                  "amount_residual_currency")


class PointsRebateRun(models.Model):
    """One static release run of a rebate pool (SPEC §7): the request it handed to the pool's sequencer, the
    entries it released, the ledger rows (one per member) and the journal entry that recorded them.

    Created in the caller's transaction when the run is asked for; only the pool's sequencer fills it in,
    while it holds the pool's lock (see :meth:`_release`).
    """

    _name = "points.rebate.run"
    _description = "Static Rebate Release Run"
    _order = "id desc"

    pool_id = fields.Many2one("points.pool", required=True, readonly=True, ondelete="restrict", index=True)
    company_id = fields.Many2one(related="pool_id.company_id", store=True)
    currency_id = fields.Many2one(related="pool_id.currency_id")
    date = fields.Date("Release Date", required=True, readonly=True,
                       help="Entries due on or before this day take part in the run.")
    state = fields.Selection(RUN_STATES, default="pending", required=True, readonly=True)
    entry_count = fields.Integer("Rebates Released", readonly=True)
    member_count = fields.Integer("Members Paid", readonly=True)
    amount = fields.Monetary("Amount Released", readonly=True)
    request_id = fields.Many2one("points.pool.request", "Pool Request", readonly=True, index="btree_not_null",
                                 help="The exclusive request the run handed to the pool's sequencer.")
    move_id = fields.Many2one("account.move", "Journal Entry", readonly=True,
                              help="One journal entry per run: Dr rebate pool / Cr wallet payable, one line per member.")
    entry_ids = fields.One2many("points.rebate.entry", "release_run_id", "Released Rebates", readonly=True)
    ledger_ids = fields.One2many("points.ledger", "source_id", "Ledger Rows", readonly=True,
                                 domain=[("event", "=", "rebate_release")],
                                 help="One row per member: what the run paid the member.")

    @api.depends("date")
    def _compute_display_name(self):
        for run in self:
            run.display_name = _("Static rebate release of %s", fields.Date.to_string(run.date))

    # -- the run (the pool's sequencer, under the pool's lock) ---------------------------------------------
    @api.model
    def _for_request(self, pool, request):
        """The run that submitted ``request`` (a dict of the request's columns); one is recorded for a request
        submitted without it (before runs were recorded)."""
        payload = request["payload"] or {}
        run = self.sudo().browse(payload.get("run_id")).exists()
        return run or self.sudo().create({
            "pool_id": pool.id, "request_id": request["id"],
            "date": fields.Date.to_date(payload.get("today")) or fields.Date.context_today(pool),
        })

    def _release(self, request):
        """Releases, in queue order, the due entries the rebate pool can pay in full; returns the ledger rows.

        The same rule as ``points_engine.rebate.static_release``, run by PostgreSQL: a running sum of the due
        entries' remaining amounts in queue order (paid at, id) selects the prefix the pool covers; the first
        entry beyond it stops the run. Entries with an accelerated release the pool has not applied yet wait
        for the next run. Then, set-wise: the entries are marked released by this run, one ledger row per
        member records what the member received, each wallet's cash grows once and the rebate pool pays the
        total; the pool's posting hooks post the rows as one journal entry. Running it again the same day
        releases nothing new (the released entries left the queue).
        """
        self.ensure_one()
        run, pool = self.sudo(), self.pool_id.sudo()
        now = fields.Datetime.now()
        self.env.flush_all()
        pool.invalidate_recordset()
        cr = self.env.cr
        engine = pool._engine()
        # One statement: the entries released (only columns without a foreign key change: release_run_id has
        # none, so PostgreSQL skips the referential checks that would cost more than the update itself), and one
        # ledger row per member and run, the run as its source document. The same run cannot be recorded twice:
        # its entries left the queue.
        cr.execute(SQL(
            """WITH queue AS (
                   SELECT id, remaining,
                          sum(remaining) OVER (ORDER BY paid_at, id ROWS UNBOUNDED PRECEDING) AS running
                     FROM points_rebate_entry
                    WHERE pool_id = %(pool)s AND state = 'queued' AND due_date <= %(today)s AND remaining > 0
                      AND COALESCE(pending_release, 0) = 0),
               released AS (
                   UPDATE points_rebate_entry entry
                      SET released_amount = COALESCE(entry.released_amount, 0) + queue.remaining, remaining = 0,
                          state = 'released', released_at = %(now)s, release_run_id = %(run)s, write_date = %(now)s
                     FROM queue
                    WHERE queue.running <= %(limit)s AND entry.id = queue.id
                RETURNING entry.wallet_id, queue.remaining),
               paid AS (
                   SELECT wallet_id, sum(remaining) AS amount, count(*) AS entries FROM released GROUP BY wallet_id)
               INSERT INTO points_ledger (
                   pool_id, company_id, date, event, partner_id, wallet_id, cycle_number, key, source_model,
                   source_id, memo, points_delta, balance_delta, cash_delta, amount, debt, spend, mint_value,
                   gross_value, fee, price_before, price_after, balance_after, points_after,
                   rebate_delta, request_id, create_uid, write_uid, create_date, write_date)
               SELECT %(pool)s, %(company)s, %(now)s, 'rebate_release', wallet.partner_id, paid.wallet_id,
                      wallet.cycle_number, 'rebate_release:points.rebate.run,' || %(run)s || ':' || paid.wallet_id,
                      'points.rebate.run', %(run)s, %(label)s || paid.entries, 0, 0, paid.amount, paid.amount, 0, 0,
                      0, 0, 0, %(price)s, %(price)s, %(balance)s, %(points)s, -paid.amount, %(request)s,
                      %(uid)s, %(uid)s, %(now)s, %(now)s
                 FROM paid JOIN points_wallet wallet ON wallet.id = paid.wallet_id
                ORDER BY wallet.partner_id
               RETURNING id""",
            pool=pool.id, today=run.date, limit=pool.rebate_balance, now=now, run=run.id,
            company=pool.company_id.id,
            label=_("Static rebate release of %s, entries released: ", fields.Date.to_string(run.date)),
            price=float(engine.price), balance=float(engine.balance), points=float(engine.points),
            request=request["id"], uid=self.env.uid))
        rows = self.env["points.ledger"].sudo().browse(sorted(row_id for (row_id,) in cr.fetchall()))
        cr.execute(SQL("SELECT count(*) FROM points_rebate_entry WHERE release_run_id = %s", run.id))
        count = cr.fetchone()[0]
        cr.execute(SQL("UPDATE points_pool_request SET rebate_release_count = %s WHERE id = %s", count, request["id"]))
        if not count:
            run.write({"state": "done", "request_id": request["id"]})
            return self.env["points.ledger"]
        cr.execute(SQL(
            """UPDATE points_wallet wallet
                  SET cash_balance = COALESCE(wallet.cash_balance, 0) + row.cash_delta,
                      debt = GREATEST(-(COALESCE(wallet.cash_balance, 0) + row.cash_delta), 0),
                      write_uid = %(uid)s, write_date = %(now)s
                 FROM points_ledger row
                WHERE row.id = ANY(%(rows)s) AND wallet.id = row.wallet_id""",
            rows=rows.ids, now=now, uid=self.env.uid))
        cr.execute(SQL("SELECT sum(cash_delta) FROM points_ledger WHERE id = ANY(%s)", rows.ids))
        total = money_half_up(to_decimal(cr.fetchone()[0]), pool.currency_id.decimal_places)
        cr.execute(SQL(
            "UPDATE points_pool_state SET rebate_balance = COALESCE(rebate_balance, 0) - %s WHERE pool_id = %s",
            str(total), pool.id))
        self.env.invalidate_all()
        ref = _("Static rebate release of %(date)s: %(count)s entries", date=fields.Date.to_string(run.date),
                count=count)
        if len(rows) > BULK_MEMBERS:
            move = run._post_bulk(pool, rows, total, ref)
        else:
            move = pool._post_entry(rows, detailed=False, ref=ref)
        run.write({"state": "done", "request_id": request["id"], "entry_count": count, "member_count": len(rows),
                   "amount": float(total), "move_id": move.id})
        return rows

    def _post_bulk(self, pool, rows, total, ref):
        """The run's journal entry when it pays many members: Dr rebate pool / Cr wallet payable, a line per member.

        Tens of thousands of lines through the ORM would take minutes under the pool's lock. Odoo creates
        and posts the entry with one wallet-payable line for the total (its sequence, checks and computed
        columns); one INSERT ... SELECT then adds a copy of that line for every member but the first (the
        stored columns the ORM declares, only the partner and the amounts changed) and the line itself
        becomes the first member's. No line is deleted; the entry stays balanced; each member's
        wallet-payable balance equals the cash the run released to them.
        """
        pool = pool.with_context(lang=pool.company_id.partner_id.lang or "en_US")
        lines = [
            {"name": ref, "account_id": pool.rebate_account_id.id, "partner_id": False, "debit": float(total)},
            {"name": ref, "account_id": pool.wallet_account_id.id, "partner_id": False, "credit": float(total)},
        ]
        move = self.env["account.move"].sudo().with_context(tracking_disable=True).create(
            pool._prepare_move_values(ref, lines))
        move._post(soft=False)
        line = move.line_ids.filtered(lambda line: line.account_id == pool.wallet_account_id)
        self.env.flush_all()
        Line = self.env["account.move.line"]
        copied = [SQL.identifier(name) for name, field in Line._fields.items()
                  if field.store and field.column_type and name != "id" and name not in MEMBER_COLUMNS]
        cr = self.env.cr
        # Members in partner order, in one statement (both parts read the run's line as Odoo posted it): the
        # first member takes the line itself, the others get copies of it.
        cr.execute(SQL(
            """WITH paid AS (
                   SELECT partner_id, sum(cash_delta) AS amount,
                          row_number() OVER (ORDER BY partner_id) AS rank
                     FROM points_ledger WHERE id = ANY(%(rows)s) GROUP BY partner_id),
               copies AS (
                   INSERT INTO account_move_line (%(columns)s, %(amounts)s)
                   SELECT %(line_columns)s, paid.partner_id, 0, paid.amount, -paid.amount, -paid.amount,
                          CASE WHEN line.amount_residual != 0 THEN -paid.amount ELSE 0 END,
                          CASE WHEN line.amount_residual_currency != 0 THEN -paid.amount ELSE 0 END
                     FROM account_move_line line, paid
                    WHERE line.id = %(line)s AND paid.rank > 1
                    ORDER BY paid.partner_id)
               UPDATE account_move_line line
                  SET partner_id = paid.partner_id, credit = paid.amount, balance = -paid.amount,
                      amount_currency = -paid.amount,
                      amount_residual = CASE WHEN line.amount_residual != 0 THEN -paid.amount ELSE 0 END,
                      amount_residual_currency = CASE WHEN line.amount_residual_currency != 0
                                                      THEN -paid.amount ELSE 0 END
                 FROM paid
                WHERE line.id = %(line)s AND paid.rank = 1""",
            rows=rows.ids, columns=SQL(", ").join(copied),
            amounts=SQL(", ").join(SQL.identifier(name) for name in MEMBER_COLUMNS),
            line_columns=SQL(", ").join(SQL("line.%s", column) for column in copied), line=line.id))
        cr.execute(SQL("UPDATE points_ledger SET move_id = %s WHERE id = ANY(%s)", move.id, rows.ids))
        self.env.invalidate_all()
        return move

    # -- actions ----------------------------------------------------------------------------------------
    def action_open_rebate_queue(self):
        """The rebate queue, showing the entries this run released."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_rebate.points_rebate_entry_action")
        action["domain"] = [("release_run_id", "=", self.id)]
        action["context"] = {}
        return action
