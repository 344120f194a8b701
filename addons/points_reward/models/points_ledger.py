from odoo import _, api, fields, models

from odoo.addons.points_pool.models.points_ledger import add_statement_section, keep_rows


class PointsLedger(models.Model):
    _inherit = "points.ledger"

    event = fields.Selection(
        selection_add=[
            ("reward_freeze", "Reward (frozen)"),
            ("reward_release", "Reward released"),
            ("reward_reverse", "Reward reversed"),
            ("dividend_accrual", "Dividend pool accrual"),
            ("dividend_reverse", "Dividend pool reversal"),
        ],
        ondelete={key: keep_rows for key in ("reward_freeze", "reward_release", "reward_reverse",
                                              "dividend_accrual", "dividend_reverse")})
    frozen_delta = fields.Monetary("Frozen Movement", readonly=True, aggregator="sum",
                                   help="Change of the member's frozen rewards.")
    reward_id = fields.Many2one("points.reward", readonly=True, index="btree_not_null", ondelete="restrict")
    dividend_accrual_id = fields.Many2one("points.dividend.accrual", readonly=True, index="btree_not_null",
                                          ondelete="restrict")

    @api.model
    def _statement_sections(self):
        return add_statement_section(super()._statement_sections(), "rewards",
                                     _("Rewards, frozen and released, net of reversals"))

    @api.model
    def _statement_event_sections(self):
        return dict(super()._statement_event_sections(), reward_freeze="rewards", reward_release="rewards",
                    reward_reverse="rewards", dividend_accrual="pool", dividend_reverse="pool")

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
