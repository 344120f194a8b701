from odoo import _, api, fields, models

from odoo.addons.points_pool.models.points_ledger import add_statement_section, keep_rows

REBATE_EVENTS = ("rebate_feed", "rebate_inject", "rebate_release", "rebate_feed_reverse", "rebate_clawback")


class PointsLedger(models.Model):
    _inherit = "points.ledger"

    event = fields.Selection(
        selection_add=[
            ("rebate_feed", "Rebate pool feeding"),
            ("rebate_inject", "Rebate pool injection"),
            ("rebate_release", "Rebate released"),
            ("rebate_feed_reverse", "Rebate pool feeding reversed"),
            ("rebate_clawback", "Released rebate taken back"),
        ],
        ondelete={key: keep_rows for key in REBATE_EVENTS})
    rebate_delta = fields.Monetary("Rebate Pool Movement", readonly=True, aggregator="sum",
                                   help="Change of the rebate pool balance.")
    rebate_entry_id = fields.Many2one("points.rebate.entry", "Rebate Entry", readonly=True,
                                      index="btree_not_null", ondelete="restrict")

    @api.model
    def _source_document_paths(self):
        """A static release row is known by the run's journal entry, as before runs were recorded."""
        return dict(super()._source_document_paths(), **{"points.rebate.run": "move_id"})

    @api.model
    def _statement_sections(self):
        return add_statement_section(super()._statement_sections(), "rebates",
                                     _("Queued rebates released, net of what was taken back"))

    @api.model
    def _statement_event_sections(self):
        return dict(super()._statement_event_sections(), rebate_release="rebates", rebate_clawback="rebates",
                    rebate_feed="pool", rebate_inject="pool", rebate_feed_reverse="pool")
