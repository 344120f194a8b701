from decimal import Decimal

from odoo import fields, models

from odoo.addons.points_engine.rewards import refund_share, reversal_amount
from odoo.addons.points_engine.rounding import to_decimal
from odoo.addons.points_pool.keys import idempotency_key


class PointsReversibleMixin(models.AbstractModel):
    """An amount a paid line gave (a reward, a dividend accrual, a queued rebate) that refunds of the line take
    back pro rata: what was taken back so far, the share of the line refunded so far, each refund once."""

    _name = "points.reversible.mixin"
    _description = "Refundable Amount"

    currency_id = fields.Many2one("res.currency", readonly=True)
    amount = fields.Monetary(readonly=True)
    reversed_amount = fields.Monetary(readonly=True, help="Taken back by refunds of the source line.")
    reversed_ratio = fields.Float(digits=(6, 4), readonly=True, help="Share reversed so far.")
    line_share = fields.Float(
        digits=(6, 4), default=1.0, readonly=True,
        help="Share of the source line the amount was computed on (less than 1 when part of the line had already "
             "been refunded).")

    def _reversal_share(self, ratio, refunded=None):
        self.ensure_one()
        return refund_share(to_decimal(self.reversed_ratio), ratio, refunded, to_decimal(self.line_share or 1))

    def _reversal_key(self, event, refund_source):
        """The ledger key of what ``refund_source`` takes back of this record (one row per record and refund)."""
        self.ensure_one()
        return idempotency_key(event, self, refund_source)

    def _reversal_done(self, key):
        """Whether the take-back keyed ``key`` is in the ledger already."""
        return bool(self.env["points.ledger"].sudo().search_count([("key", "=", key)], limit=1))

    def _take_back(self, share, refund_source, event):
        """Records that a refund takes ``share`` back; returns (amount, ledger key), or (0, None) if applied before."""
        self.ensure_one()
        key = self._reversal_key(event, refund_source)
        if share <= 0 or self._reversal_done(key):
            return Decimal(0), None
        done = to_decimal(self.reversed_ratio) + share
        amount = reversal_amount(to_decimal(self.amount), to_decimal(self.reversed_amount), done,
                                 self.currency_id.decimal_places)
        self.write({"reversed_ratio": float(done),
                    "reversed_amount": float(to_decimal(self.reversed_amount) + amount)})
        return amount, key
