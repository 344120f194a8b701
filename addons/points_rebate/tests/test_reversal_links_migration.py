import json

from odoo.tests import tagged
from odoo.tools import SQL

from .common import RebateCase


@tagged("post_install", "-at_install")
class TestReversalLinksMigration(RebateCase):
    """18.0.1.4.0 links the rebate reversals written before, which named their original only in their keys."""

    def blank_links(self, rows, requests):
        """Takes the links off ledger rows and pending requests' entries, as they were written before 18.0.1.4.0."""
        self.env.flush_all()
        self.env.cr.execute(SQL("""UPDATE points_ledger SET reversal_of_id = NULL, reversal_of_allocation_id = NULL
                                    WHERE id = ANY(%s)""", rows.ids))
        for request in requests:
            payload = request.payload
            for entry in payload["entries"]:
                entry["ledger"].pop("reversal_of_id", None)
                entry["ledger"].pop("reversal_of_allocation_id", None)
            self.env.cr.execute(SQL("UPDATE points_pool_request SET payload = %s::jsonb WHERE id = %s",
                                    json.dumps(payload), request.id))
        self.env.invalidate_all()

    def links(self, rows):
        """``{event: (reversal_of_id, reversal_of_allocation_id)}`` of ``rows`` (one row per event)."""
        self.env.invalidate_all()
        return {row.event: (row.reversal_of_id, row.reversal_of_allocation_id) for row in rows}

    def test_the_migration_links_the_reversals_of_the_ledger_and_of_pending_requests_from_their_keys(self):
        referrer, entry, rows, rebate_row, accelerated = self.accelerating_referee("Migrated ")
        rows._reverse(0.5, self.order("Applied credit"))
        Ledger, no_allocation = self.env["points.ledger"], rebate_row.browse()
        reversals = Ledger.search([("pool_id", "=", self.pool.id),
                                   ("event", "in", ("rebate_feed_reverse", "rebate_clawback"))])
        expected = {"rebate_feed_reverse": (Ledger, rebate_row), "rebate_clawback": (accelerated, no_allocation)}
        self.assertEqual(self.links(reversals), expected)
        with self.pool_busy():
            rows._reverse(0.25, self.order("Pending credit"))
        pending = self.env["points.pool.request"].search([("pool_id", "=", self.pool.id), ("state", "=", "pending"),
                                                          ("kind", "=", "movements")])
        self.assertEqual(len(pending), 2, "the feeding given back and the acceleration undone wait for the pool")
        self.blank_links(reversals, pending)
        self.assertEqual(self.links(reversals), dict.fromkeys(expected, (Ledger, no_allocation)))

        Ledger._link_rebate_reversals()

        self.assertEqual(self.links(reversals), expected)
        self.assertFalse(Ledger.search([("pool_id", "=", self.pool.id), ("event", "=", "rebate_release"), "|",
                                        ("reversal_of_id", "!=", False), ("reversal_of_allocation_id", "!=", False)]),
                         "rows that reverse nothing stay without a link")
        self.pool._apply_pending()
        self.env.invalidate_all()
        self.assertEqual({row.event: (row.amount, row.reversal_of_id, row.reversal_of_allocation_id)
                          for row in pending.ledger_ids},
                         {"rebate_feed_reverse": (2.5, Ledger, rebate_row),
                          "rebate_clawback": (5.0, accelerated, no_allocation)},
                         "the sequencer writes the links the pending entries got")
        # The last quarter gives back exactly what is left: the sums follow the links filled in.
        rows._reverse(0.25, self.order("Last credit"))
        self.assertEqual(sum(Ledger.search([("reversal_of_allocation_id", "=", rebate_row.id)]).mapped("amount")), 10.0)
        self.assertEqual(sum(Ledger.search([("reversal_of_id", "=", accelerated.id)]).mapped("amount")), 20.0)
        self.assertEqual((self.cash(referrer), entry.remaining), (0.0, 100.0))
        self.assertNoBreach()
