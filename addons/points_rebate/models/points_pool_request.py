from odoo import api, fields, models
from odoo.tools import SQL


def _keep_requests(requests):
    """Requests are the pool's history: uninstalling the queued rebate leaves them in place."""


class PointsPoolRequest(models.Model):
    """The static release as an exclusive request of the pool's sequencer; accelerated releases reach their
    queue entry once the sequencer applied (or refused) them."""

    _inherit = "points.pool.request"

    kind = fields.Selection(selection_add=[("rebate_release", "Static rebate release")],
                            ondelete={"rebate_release": _keep_requests})
    rebate_release_count = fields.Integer(
        "Rebates Released", readonly=True, help="Queued rebates the static release run of this request released.")

    @api.model
    def _exclusive_kinds(self):
        return super()._exclusive_kinds() | {"rebate_release"}

    @api.model
    def _apply_exclusive(self, pool, request):
        if request["kind"] == "rebate_release":
            return self.env["points.rebate.run"]._for_request(pool, request)._release(request)
        return super()._apply_exclusive(pool, request)

    def _queue_threshold_release(self):
        """Money fed or injected into a rebate pool that reaches its release threshold queues the release."""
        self.env.cr.execute(SQL(
            """SELECT DISTINCT ledger.pool_id FROM points_ledger ledger JOIN points_pool pool ON pool.id = ledger.pool_id
                WHERE ledger.request_id = ANY(%s) AND ledger.event IN ('rebate_feed', 'rebate_inject')
                  AND COALESCE(pool.rebate_release_threshold, 0) > 0""", self.ids))
        pools = self.env["points.pool"].sudo().browse([pool_id for (pool_id,) in self.env.cr.fetchall()])
        pools.filtered(lambda pool: pool._rebate_threshold_reached())._delay_rebate_threshold_release()

    def _on_applied(self):
        """Accelerated releases the sequencer applied reach their queue entry; refused ones leave it as it was.

        The entry's figures follow the ledger rows the request wrote, so an entry is never
        marked released for money the rebate pool did not pay. Either way the amount the
        request held on the entry (``pending_release``) is given back.
        """
        result = super()._on_applied()
        if not self.ids:
            return result
        self._settle_accelerations()
        self._refuse_release_runs()
        # After the entries' figures: an entry an acceleration held until now counts as due again.
        self._queue_threshold_release()
        return result

    def _refuse_release_runs(self):
        """A static release request the sequencer refused leaves its run refused (nothing was released)."""
        refused = self.filtered(lambda request: request.kind == "rebate_release" and request.state == "refused")
        for request in refused:
            run = self.env["points.rebate.run"].sudo().browse((request.payload or {}).get("run_id")).exists()
            run.write({"state": "refused", "request_id": request.id})

    def _settle_accelerations(self):
        """The queue entries of the accelerated releases among these requests take their outcome."""
        cr = self.env.cr
        cr.execute(SQL(
            """SELECT (movement->'ledger'->>'rebate_entry_id')::int, sum((movement->>'amount')::numeric)
                 FROM points_pool_request request, jsonb_array_elements(request.payload->'entries') movement
                WHERE request.id = ANY(%s) AND request.kind = 'movements' AND request.state != 'pending'
                  AND movement->>'event' = 'rebate_release' AND movement->'ledger'->>'rebate_entry_id' IS NOT NULL
                GROUP BY 1""", self.ids))
        held = dict(cr.fetchall())
        if not held:
            return
        cr.execute(SQL(
            """SELECT rebate_entry_id, sum(amount) FROM points_ledger
                WHERE request_id = ANY(%s) AND event = 'rebate_release' AND rebate_entry_id = ANY(%s)
                GROUP BY rebate_entry_id""", self.ids, list(held)))
        paid = dict(cr.fetchall())
        entry_ids = sorted(held)
        now = fields.Datetime.now()
        # Relative updates: a refund may have changed the entry since the request was made.
        cr.execute(SQL(
            """UPDATE points_rebate_entry entry
                  SET pending_release = GREATEST(COALESCE(entry.pending_release, 0) - data.held, 0),
                      released_amount = COALESCE(entry.released_amount, 0) + data.paid,
                      remaining = entry.remaining - data.paid,
                      state = CASE WHEN data.paid > 0 AND entry.remaining - data.paid <= 0 THEN 'released'
                                   ELSE entry.state END,
                      released_at = CASE WHEN data.paid > 0 AND entry.remaining - data.paid <= 0 THEN %s
                                         ELSE entry.released_at END,
                      write_date = %s
                 FROM unnest(%s::int[], %s::numeric[], %s::numeric[]) AS data(id, held, paid)
                WHERE entry.id = data.id""",
            now, now, entry_ids, [str(held[entry_id]) for entry_id in entry_ids],
            [str(paid.get(entry_id, 0)) for entry_id in entry_ids]))
        self.env["points.rebate.entry"].invalidate_model(
            ["pending_release", "released_amount", "remaining", "state", "released_at"])
