from odoo import api, fields, models
from odoo.tools import LazyTranslate

from odoo.addons.points_pool.models.points_ledger import ledger_events

_lt = LazyTranslate(__name__)

#: The ledger events of rewards and the dividend pool: (value, label, member statement section).
EVENTS = [
    ("reward_freeze", "Reward (frozen)", "rewards"),
    ("reward_release", "Reward released", "rewards"),
    ("reward_reverse", "Reward reversed", "rewards"),
    ("dividend_accrual", "Dividend pool accrual", "pool"),
    ("dividend_reverse", "Dividend pool reversal", "pool"),
]
REWARD_EVENTS = tuple(value for value, _label, _section in EVENTS)


class PointsLedger(models.Model):
    _inherit = "points.ledger"

    event = ledger_events(EVENTS, sections=[("rewards", _lt("Rewards, frozen and released, net of reversals"))])
    frozen_delta = fields.Monetary("Frozen Movement", readonly=True, aggregator="sum",
                                   help="Change of the member's frozen rewards.")
    reward_id = fields.Many2one("points.reward", readonly=True, index="btree_not_null", ondelete="restrict")
    dividend_accrual_id = fields.Many2one("points.dividend.accrual", readonly=True, index="btree_not_null",
                                          ondelete="restrict")

    @api.model
    def _statement_value_fields(self):
        return super()._statement_value_fields() + ["frozen_delta"]

    @api.model
    def _source_document_names(self, model, rows):
        if model not in ("points.reward", "points.dividend.accrual"):
            return super()._source_document_names(model, rows)
        # A reward or a dividend accrual is known by its rule and the order that paid it.
        sources = self.env[model].sudo().browse(set(rows.mapped("source_id"))).exists()
        names = {}
        for source in sources:
            order = self.env[source.order_model].sudo().browse(source.order_id).exists() \
                if source.order_model in self.env and source.order_id else None
            names[source.id] = " · ".join(filter(None, [source.rule_id.name, order.display_name if order else ""]))
        return {row.id: names.get(row.source_id, "") for row in rows}
