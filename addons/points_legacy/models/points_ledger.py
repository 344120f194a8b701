from odoo import _, api, fields, models

from odoo.addons.points_pool.models.points_ledger import add_statement_section, keep_rows

LEGACY_EVENTS = ("legacy_import", "legacy_spend", "legacy_refund")


class PointsLedger(models.Model):
    _inherit = "points.ledger"

    event = fields.Selection(
        selection_add=[
            ("legacy_import", "Legacy payable imported"),
            ("legacy_spend", "Consumption balance spent"),
            ("legacy_refund", "Consumption balance refunded"),
        ],
        ondelete={key: keep_rows for key in LEGACY_EVENTS})
    legacy_delta = fields.Monetary("Consumption Balance Movement", readonly=True, aggregator="sum",
                                   help="Change of the legacy member's consumption balance.")
    legacy_member_id = fields.Many2one("points.legacy.member", "Legacy Member", readonly=True,
                                       index="btree_not_null", ondelete="restrict")

    @api.model
    def _statement_sections(self):
        return add_statement_section(super()._statement_sections(), "legacy",
                                     _("Consumption balance from the former platform, spent and refunded"))

    @api.model
    def _statement_event_sections(self):
        return dict(super()._statement_event_sections(), legacy_import="legacy", legacy_spend="legacy",
                    legacy_refund="legacy")

    @api.model
    def _statement_value_fields(self):
        return super()._statement_value_fields() + ["legacy_delta"]

    @api.model
    def _source_document_paths(self):
        return dict(super()._source_document_paths(), **{"points.legacy.release": "member_id"})
