from odoo import fields, models
from odoo.tools import LazyTranslate

from odoo.addons.points_pool.models.points_ledger import ledger_events

_lt = LazyTranslate(__name__)

#: The wallet services' ledger events: (value, label, member statement section).
EVENTS = [
    ("withdrawal", "Withdrawal", "withdrawals"),
    ("withdrawal_fee", "Withdrawal fee", "withdrawals"),
    ("transfer_out", "Transfer sent", "transfers"),
    ("transfer_in", "Transfer received", "transfers"),
]
WALLET_SERVICE_EVENTS = tuple(value for value, _label, _section in EVENTS)


class PointsLedger(models.Model):
    _inherit = "points.ledger"

    event = ledger_events(EVENTS, sections=[("withdrawals", _lt("Withdrawals and their fees")),
                                            ("transfers", _lt("Transfers between members"))])
    withdrawal_id = fields.Many2one("points.withdrawal", readonly=True, index="btree_not_null", ondelete="restrict")
    transfer_id = fields.Many2one("points.transfer", readonly=True, index="btree_not_null", ondelete="restrict")
