from odoo import api, fields, models
from odoo.tools import LazyTranslate

from odoo.addons.points_pool.models.points_ledger import ledger_events

_lt = LazyTranslate(__name__)

#: The legacy takeover's ledger events: (value, label, member statement section).
EVENTS = [
    ("legacy_import", "Legacy payable imported", "legacy"),
    ("legacy_spend", "Consumption balance spent", "legacy"),
    ("legacy_refund", "Consumption balance refunded", "legacy"),
]
LEGACY_EVENTS = tuple(value for value, _label, _section in EVENTS)


class PointsLedger(models.Model):
    _inherit = "points.ledger"

    event = ledger_events(EVENTS, sections=[
        ("legacy", _lt("Consumption balance from the former platform, spent and refunded"))])
    legacy_delta = fields.Monetary("Consumption Balance Movement", readonly=True, aggregator="sum",
                                   help="Change of the legacy member's consumption balance.")
    legacy_member_id = fields.Many2one("points.legacy.member", "Legacy Member", readonly=True,
                                       index="btree_not_null", ondelete="restrict")

    @api.model
    def _statement_value_fields(self):
        return super()._statement_value_fields() + ["legacy_delta"]

    @api.model
    def _source_document_paths(self):
        return dict(super()._source_document_paths(), **{"points.legacy.release": "member_id"})
