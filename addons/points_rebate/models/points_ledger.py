import json
import re

from odoo import api, fields, models
from odoo.tools import SQL, LazyTranslate

from odoo.addons.points_pool.fields import LooseMany2one
from odoo.addons.points_pool.models.points_ledger import ledger_events

_lt = LazyTranslate(__name__)

#: The queued rebate's ledger events: (value, label, member statement section).
EVENTS = [
    ("rebate_feed", "Rebate pool feeding", "pool"),
    ("rebate_inject", "Rebate pool injection", "pool"),
    ("rebate_release", "Rebate released", "rebates"),
    ("rebate_feed_reverse", "Rebate pool feeding reversed", "pool"),
    ("rebate_clawback", "Released rebate taken back", "rebates"),
]
REBATE_EVENTS = tuple(value for value, _label, _section in EVENTS)

#: The ledger column naming what a rebate reversal gives back, by the model of that original: an undone
#: acceleration names the accelerated release row, a feeding given back names the line's rebate allocation (the
#: feeding's own row may still wait in the sequencer when the line is refunded).
REVERSAL_LINKS = {"points.ledger": "reversal_of_id", "points.allocation": "reversal_of_allocation_id"}


#: Keys of the reversals written before they named their original (18.0.1.4.0), which only their keys said: an
#: undone acceleration ``rebate_unaccelerate[_indirect]:<line>:<refund>`` of ``rebate_accelerate[_indirect]:<line>``,
#: a feeding given back ``rebate_feed_reverse:points.allocation,<id>:<refund>``.
UNACCELERATE_KEY = re.compile(r"^rebate_unaccelerate(?P<level>_indirect)?:(?P<line>[^:]+):")
FEED_REVERSE_KEY = re.compile(r"^rebate_feed_reverse:points\.allocation,(?P<allocation>\d+):")


def reversal_link(original):
    """``{ledger column: id}`` linking a reversal row to ``original`` (empty without one)."""
    return {REVERSAL_LINKS[original._name]: original.id} if original else {}


class PointsLedger(models.Model):
    _inherit = "points.ledger"

    event = ledger_events(EVENTS, sections=[("rebates", _lt("Queued rebates released, net of what was taken back"))])
    rebate_delta = fields.Monetary("Rebate Pool Movement", readonly=True, aggregator="sum",
                                   help="Change of the rebate pool balance.")
    rebate_entry_id = fields.Many2one("points.rebate.entry", "Rebate Entry", readonly=True,
                                      index="btree_not_null", ondelete="restrict")
    # No foreign key: the sequencer writes the row while refunds of the line rewrite the allocation.
    reversal_of_allocation_id = LooseMany2one(
        "points.allocation", "Reversal of Allocation", readonly=True, index="btree_not_null",
        help="The line's rebate allocation whose feeding of the rebate pool this row gives back.")

    @api.model
    def _source_document_paths(self):
        """A static release row is known by the run's journal entry, as before runs were recorded."""
        return dict(super()._source_document_paths(), **{"points.rebate.run": "move_id"})

    # -- migration -------------------------------------------------------------------------------
    @api.model
    def _link_rebate_reversals(self):
        """Links the rebate reversals written before 18.0.1.4.0 to their original, in the ledger and in the entries
        of pending requests (the sequencer writes the link when it applies them).

        Refunds add up what was given back through the links; those reversals named their original in
        their keys only, which this one-time fill reads.
        """
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(SQL("""SELECT id, pool_id, key FROM points_ledger
                           WHERE event IN ('rebate_feed_reverse', 'rebate_clawback')
                             AND reversal_of_id IS NULL AND reversal_of_allocation_id IS NULL"""))
        rows = cr.fetchall()
        cr.execute(SQL("""SELECT id, pool_id, payload FROM points_pool_request
                           WHERE state = 'pending' AND kind = 'movements'"""))
        requests = [(request_id, pool_id, payload.get("entries", [])) for request_id, pool_id, payload in cr.fetchall()
                    if payload]
        links = self._rebate_reversal_links_of_keys(
            {(pool_id, key) for _row, pool_id, key in rows}
            | {(pool_id, entry.get("key")) for _request, pool_id, entries in requests for entry in entries})
        by_column = {}
        for row_id, pool_id, key in rows:
            if (pool_id, key) in links:
                column, original = links[pool_id, key]
                by_column.setdefault(column, []).append((row_id, original))
        for column, pairs in by_column.items():
            cr.execute(SQL("""UPDATE points_ledger ledger SET %s = link.original
                                FROM unnest(%s::integer[], %s::integer[]) AS link(id, original)
                               WHERE ledger.id = link.id""",
                           SQL.identifier(column), [row for row, _original in pairs],
                           [original for _row, original in pairs]))
        for request_id, pool_id, entries in requests:
            self._link_pending_rebate_reversals(request_id, pool_id, entries, links)
        self.env.invalidate_all()

    @api.model
    def _link_pending_rebate_reversals(self, request_id, pool_id, entries, links):
        """Adds their link to the ``entries`` of a pending request of the pool that ``links`` name."""
        unlinked = [entry for entry in entries if (pool_id, entry.get("key")) in links
                    and not any((entry.get("ledger") or {}).get(column) for column in REVERSAL_LINKS.values())]
        for entry in unlinked:
            column, original = links[pool_id, entry["key"]]
            entry["ledger"] = dict(entry.get("ledger") or {}, **{column: original})
        if unlinked:
            self.env.cr.execute(SQL(
                "UPDATE points_pool_request SET payload = jsonb_set(payload, '{entries}', %s::jsonb) WHERE id = %s",
                json.dumps(entries), request_id))

    @api.model
    def _rebate_reversal_links_of_keys(self, keys):
        """``{(pool id, key): (ledger column, original id)}`` of the rebate reversal keys among ``keys``."""
        links, accelerated = {}, {}
        for pool_id, key in keys:
            feed = FEED_REVERSE_KEY.match(key or "")
            undo = UNACCELERATE_KEY.match(key or "")
            if feed:
                links[pool_id, key] = ("reversal_of_allocation_id", int(feed["allocation"]))
            elif undo:
                accelerated[pool_id, key] = f"rebate_accelerate{undo['level'] or ''}:{undo['line']}"
        if accelerated:
            self.env.cr.execute(SQL(
                """SELECT ledger.pool_id, ledger.key, ledger.id
                     FROM unnest(%s::integer[], %s::varchar[]) AS wanted(pool_id, key)
                     JOIN points_ledger ledger ON ledger.pool_id = wanted.pool_id AND ledger.key = wanted.key""",
                [pool_id for pool_id, _key in accelerated], list(accelerated.values())))
            found = {(pool_id, key): row_id for pool_id, key, row_id in self.env.cr.fetchall()}
            for (pool_id, key), original_key in accelerated.items():
                if (pool_id, original_key) in found:
                    links[pool_id, key] = ("reversal_of_id", found[pool_id, original_key])
        return links
