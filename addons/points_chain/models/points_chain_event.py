import logging

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.points_pool.fields import LooseMany2one
from odoo.addons.points_pool.models.points_pool_request import BUSY_ERRORS

from .points_chain_member import IDENTITY_SELECTION

_logger = logging.getLogger(__name__)

#: Most chain events one drain applies, so that the pool lock is held briefly.
EVENT_BATCH = 100


class PointsChainEvent(models.Model):
    """A change to the chain state waiting for the pool's sequencer: a paid package line, an identity set by
    hand, a task check or a periodic re-assignment.

    Every package order below the same referrer or team boss changes that member's chain row (slots,
    promotion, contributed lines, fund release), and the rewards of an order depend on the identities the
    earlier orders gave. Under REPEATABLE READ, checkouts rewriting those rows would fail with serialization
    errors: they only insert these rows (no foreign keys, see ``LooseMany2one``), and the sequencer of the
    company's pool applies them one by one, in order (:meth:`_apply_pending_events`), writing the chain rows
    and booking the rewards through the reward ledger. Applied events are deleted; one that fails for another
    reason than a busy row keeps its error and is left aside (staff see it in the pending chain events).
    """

    _name = "points.chain.event"
    _description = "Pending Chain Event"
    _order = "id"
    _log_access = False

    kind = fields.Selection([("order", "Package order"), ("identity", "Identity set by hand"),
                             ("tasks", "Task check"), ("reassign", "Re-assignment")], required=True, readonly=True)
    program_id = LooseMany2one("points.chain.program", required=True, readonly=True, index=True)
    company_id = LooseMany2one("res.company", required=True, readonly=True, index=True)
    partner_id = LooseMany2one("res.partner", string="Member", readonly=True,
                               help="The buyer of a package order, or the member whose identity is set.")
    source_model = fields.Char(readonly=True)
    source_id = fields.Many2oneReference(model_field="source_model", readonly=True)
    order_model = fields.Char(readonly=True)
    order_id = fields.Many2oneReference(model_field="order_model", readonly=True)
    budget = fields.Float(digits=(16, 2), readonly=True,
                          help="What the plan's chain bucket holds for the line: the rewards never exceed it.")
    identity = fields.Selection(IDENTITY_SELECTION, readonly=True)
    note = fields.Char(readonly=True)
    user_id = LooseMany2one("res.users", string="Set By", readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now,
                           help="When the line was paid (a re-assignment: the end of its period).")
    period_start = fields.Datetime(readonly=True)
    error = fields.Char(readonly=True, help="Why the sequencer could not apply the event (left aside).")

    _sql_constraints = [("source_uniq", "unique(program_id, source_model, source_id)",
                         "A line is queued once per program.")]

    @api.model
    def _queue_program_events(self, programs, kind, **values):
        """Queues a program-wide event (task check, re-assignment) per program; applied as soon as the pool can."""
        for program in programs:
            self.sudo().create([{"kind": kind, "program_id": program.id, "company_id": program.company_id.id,
                                 **values}])
        for company in programs.company_id:
            self.env["points.pool"].sudo()._get_for_company(company)._apply_soon()

    # -- the sequencer ---------------------------------------------------------------------
    @api.model
    def _apply_pending_events(self, pool, limit=EVENT_BATCH):
        """Applies the pending chain events of ``pool``'s company in order; the caller holds the pool lock.

        Called by every drain of the pool's sequencer (``points.pool.request._apply_locked``). The reward
        movements the events book are applied together when the batch ends. Returns how many events were
        taken."""
        if self.env.context.get("points_chain_applying"):
            return 0  # the reward movements of a batch being applied: its drain goes on after them
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(SQL("""SELECT id FROM points_chain_event WHERE company_id = %s AND error IS NULL
                          ORDER BY id LIMIT %s""", pool.company_id.id, limit))
        ids = [row[0] for row in cr.fetchall()]
        if not ids:
            return 0
        # Every drain that applies chain events rewrites the pool's balance row: a transaction whose snapshot
        # is older than this one cannot take the pool afterwards (its FOR UPDATE fails as a serialization
        # error, which the caller takes for "busy"), so no one applies events on chain rows it sees stale.
        cr.execute(SQL("UPDATE points_pool_state SET write_date = now() AT TIME ZONE 'UTC' WHERE pool_id = %s",
                       pool.id))
        env = self.sudo().with_context(points_chain_applying=True).env
        pool = pool.with_env(env)
        done, failed = [], []
        with pool._applying_together():
            for event in env["points.chain.event"].browse(ids):
                try:
                    with cr.savepoint():
                        event._apply()
                except BUSY_ERRORS:
                    raise
                except Exception as error:  # noqa: BLE001 (left aside with its error: the queue goes on)
                    _logger.exception("Chain event %s could not be applied; it is left aside", event.id)
                    failed.append((event.id, str(error)[:500] or type(error).__name__))
                else:
                    done.append(event.id)
            cr.execute(SQL("DELETE FROM points_chain_event WHERE id = ANY(%s)", done))
            for event_id, error in failed:
                cr.execute(SQL("UPDATE points_chain_event SET error = %s WHERE id = %s", error, event_id))
        self.env.invalidate_all()
        return len(ids)

    def _apply(self):
        self.ensure_one()
        Member = self.env["points.chain.member"]
        if self.kind == "order":
            Member._apply_package_order(self)
        elif self.kind == "identity":
            Member._apply_identity(self)
        elif self.kind == "tasks":
            Member.search([("program_id", "=", self.program_id.id), ("released", "=", False),
                           ("line_ids", "!=", False)])._release_if_met()
        elif self.kind == "reassign":
            self.program_id._reassign_dead_lines(self.period_start, self.date)
