from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import resolve_mro
from odoo.tools import LazyTranslate

from ..fields import LooseMany2one

_lt = LazyTranslate(__name__)

LEDGER_EVENTS = [
    ("contribute", "Contribution"),
    ("sell", "Sale of points"),
    ("redeem", "Redemption"),
    ("restore", "Refund of a points payment"),
    ("inject", "Injection"),
    ("exit", "Forced exit"),
    ("reverse", "Reversal"),
]

#: Sections of a member statement, in their order: (key, label). Modules add theirs through
#: ``points.ledger._statement_sections()`` and classify their events in ``_statement_event_sections()``.
STATEMENT_SECTIONS = [
    ("earned", _lt("Eligible spend and points earned")),
    ("sold", _lt("Points sold and payouts, forced exits included")),
    ("redeemed", _lt("Points used as payment, net of refunds")),
    ("reversed", _lt("Points taken back by refunds, and refund debts")),
    ("pool", _lt("Pool movements")),
    ("other", _lt("Other movements")),
]



def add_statement_section(sections, key, label, before="pool"):
    """Inserts the section ``(key, label)`` into a list of statement sections, before the ``before`` section."""
    keys = [section for section, _label in sections]
    sections.insert(keys.index(before) if before in keys else len(sections), (key, label))
    return sections


def keep_rows(rows):
    """``ondelete`` of the ledger events a module adds: rows are history, uninstalling it leaves them in place."""


def ledger_events(events, sections=()):
    """``event`` of points.ledger for a module adding ``events``: ``(value, label, statement section)``.

    ``sections``: the member statement sections the module adds, ``(key, lazy label)``, placed before the pool
    movements. The statement reads every module's declaration (``points.ledger._event_declarations()``), so a
    module declares its events as data; their rows stay when it is uninstalled (:func:`keep_rows`).
    """
    values = [value for value, _label, _section in events]
    return fields.Selection(
        selection_add=[(value, label) for value, label, _section in events],
        ondelete=dict.fromkeys(values, keep_rows),
        statement_sections={value: section for value, _label, section in events},
        added_statement_sections=list(sections))


# Fields the pool may still set after a row is created (its journal entry, the share reversed).
INTERNAL_FIELDS = {"move_id", "reversed_ratio"}


class PointsLedger(models.Model):
    """One immutable row per movement of points or pool money, pointing at its source."""

    _name = "points.ledger"
    _description = "Points Ledger"
    _order = "id desc"

    # Every index is written once per row by the sequencer's bulk insert: no index on the pool (the unique
    # (pool_id, key) index leads with it), the event or the source model (too few distinct values to help).
    pool_id = fields.Many2one("points.pool", required=True, readonly=True, ondelete="restrict")
    company_id = fields.Many2one(related="pool_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="pool_id.currency_id")
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    event = fields.Selection(LEDGER_EVENTS, required=True, readonly=True)
    # No foreign keys on the member, the wallet and the request (LooseMany2one): their key checks took two
    # thirds of the sequencer's insert. Wallets and members with rows are never deleted (ondelete guards).
    partner_id = LooseMany2one("res.partner", readonly=True, index=True)
    wallet_id = LooseMany2one("points.wallet", readonly=True, index=True)
    cycle_number = fields.Integer(readonly=True)
    key = fields.Char(readonly=True, help="Unique per pool: the same source is processed once.")
    source_model = fields.Char(readonly=True)
    source_id = fields.Many2oneReference("Source ID", model_field="source_model", readonly=True, index=True)
    source_ref = fields.Reference(selection="_selection_source_ref", compute="_compute_source_ref", string="Source")
    source_display = fields.Char(
        "Source Document", compute="_compute_source_display",
        help="The document a person knows: the POS order, the invoice or sales order, the withdrawal…")
    reversal_of_id = fields.Many2one("points.ledger", readonly=True, index="btree_not_null")
    reversed_ratio = fields.Float(digits=(6, 4), readonly=True, help="Share of this contribution already reversed.")
    memo = fields.Char(readonly=True)

    points_delta = fields.Float("Points", digits=(16, 4), readonly=True, aggregator="sum",
                                help="Change of the member's and of the circulating points.")
    balance_delta = fields.Monetary("Pool Movement", readonly=True, aggregator="sum",
                                    help="Change of the pool balance.")
    cash_delta = fields.Monetary("Cash Movement", readonly=True, aggregator="sum",
                                 help="Change of the member's cash balance.")
    amount = fields.Monetary(
        readonly=True, help="Contribution, payout, redeemed value, injection, refund, or the refunded value of a "
                            "points payment given back as points.")
    spend = fields.Monetary(readonly=True, help="Eligible spend added to (or removed from) the member's cycle.")
    mint_value = fields.Monetary(readonly=True)
    mint_ratio = fields.Float(
        digits=(5, 4), readonly=True,
        help="Share of the contribution minted as points: the pool's, or the ratio of the order's store or "
             "product category.")
    gross_value = fields.Monetary(readonly=True, help="Value of the points at the price before the event.")
    fee = fields.Monetary(readonly=True, help="Part of the value kept in the pool.")
    debt = fields.Monetary(readonly=True, help="Value of refunded points the member no longer held.")
    price_before = fields.Float("Price Before", digits=(16, 6), readonly=True, aggregator="min",
                                help="Point price just before the event: the price a preview of it used.")
    price_after = fields.Float("Price After", digits=(16, 6), readonly=True, aggregator="max",
                               help="Point price right after the event.")
    balance_after = fields.Monetary("Pool Balance", readonly=True, aggregator="max")
    points_after = fields.Float("Circulating Points", digits=(16, 4), readonly=True, aggregator="max")
    move_id = fields.Many2one("account.move", "Journal Entry", readonly=True, index="btree_not_null")
    request_id = LooseMany2one("points.pool.request", readonly=True, index="btree_not_null",
                                 help="The request the pool's sequencer applied to write this row.")
    counter_account_id = fields.Many2one(
        "account.account", readonly=True, help="Account an injection's money comes from.")

    _sql_constraints = [
        ("key_uniq", "unique(pool_id, key)", "This source was already processed."),
    ]

    @api.model
    def _selection_source_ref(self):
        return [(model.model, model.name) for model in self.env["ir.model"].sudo().search([])]

    @api.depends("source_model", "source_id")
    def _compute_source_ref(self):
        for row in self:
            valid = row.source_model in self.env and row.source_id
            row.source_ref = f"{row.source_model},{row.source_id}" if valid else False

    @api.depends("source_model", "source_id", "memo")
    def _compute_source_display(self):
        """Names the source documents in one read per source model (lists show many rows at once)."""
        by_model = defaultdict(lambda: self.browse())
        for row in self:
            if row.source_model and row.source_id and row.source_model in self.env:
                by_model[row.source_model] |= row
        names = {}
        for model, rows in by_model.items():
            names.update(self._source_document_names(model, rows))
        for row in self:
            row.source_display = names.get(row.id) or row.memo or ""

    @api.model
    def _source_document_paths(self):
        """``{source model: field path to the document a person knows}`` (modules add their sources).

        A POS payment is known by its POS order, an invoice line by its invoice: the ledger
        names that document instead of the record the pool keyed the movement on.
        """
        return {"account.move.line": "move_id"}

    @api.model
    def _source_document_names(self, model, rows):
        """``{ledger row id: name of its source document}`` for ``rows``, whose sources are all of ``model``."""
        path = self._source_document_paths().get(model)
        sources = self.env[model].sudo().browse(set(rows.mapped("source_id"))).exists()
        names = {}
        for source in sources:
            document = source.mapped(path) if path else source
            names[source.id] = ", ".join(name for name in document.mapped("display_name") if name)
        return {row.id: names.get(row.source_id, "") for row in rows}

    # -- member statement classification ------------------------------------------
    def _valid_field_parameter(self, field, name):
        # The statement sections of the event declarations of ledger_events().
        return (field.name == "event" and name in ("statement_sections", "added_statement_sections")
                or super()._valid_field_parameter(field, name))

    @api.model
    def _event_declarations(self):
        """The ``event`` declarations of the modules (:func:`ledger_events`), in the order the modules load."""
        definitions = resolve_mro(self, "event", lambda field: isinstance(field, fields.Selection))
        return [field._args__ for field in reversed(definitions) if "statement_sections" in field._args__]

    @api.model
    def _statement_sections(self):
        """Sections of a member statement, in order: ``[(key, label)]``, with those the modules add."""
        sections = list(STATEMENT_SECTIONS)
        for declaration in self._event_declarations():
            for key, label in declaration["added_statement_sections"]:
                add_statement_section(sections, key, label)
        return [(key, label._translate(self.env.lang or "en_US")) for key, label in sections]

    @api.model
    def _statement_event_sections(self):
        """``{event: statement section key}``: every module classifies the ledger events it adds."""
        sections = {
            "contribute": "earned", "sell": "sold", "exit": "sold", "redeem": "redeemed", "restore": "redeemed",
            "reverse": "reversed", "inject": "pool",
        }
        for declaration in self._event_declarations():
            sections.update(declaration["statement_sections"])
        return sections

    def _statement_section(self):
        """The statement section of this row's event (``other`` for an event no module classified)."""
        self.ensure_one()
        return self._statement_event_sections().get(self.event, "other")

    @api.model
    def _statement_value_fields(self):
        """Money columns whose sum is what a section credited to the member (rewards add the frozen column)."""
        return ["cash_delta"]

    @api.depends("event", "partner_id")
    def _compute_display_name(self):
        labels = dict(self._fields["event"]._description_selection(self.env))
        for row in self:
            parts = [f"PTS/{row.id}" if row.id else "PTS", labels.get(row.event, "")]
            if row.partner_id:
                parts.append(row.partner_id.display_name)
            row.display_name = " ".join(parts)

    def write(self, vals):
        if not (self.env.context.get("points_ledger_internal") and set(vals) <= INTERNAL_FIELDS):
            raise UserError(_("Ledger rows are immutable: record a reversal instead."))
        return super().write(vals)

    def unlink(self):
        raise UserError(_("Ledger rows cannot be deleted: record a reversal instead."))

    def action_open_source(self):
        self.ensure_one()
        if not self.source_ref:
            return False
        return {"type": "ir.actions.act_window", "res_model": self.source_model, "res_id": self.source_id,
                "view_mode": "form", "views": [(False, "form")]}
