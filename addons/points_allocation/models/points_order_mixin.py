from odoo import models


class PointsOrderMixin(models.AbstractModel):
    """Hooks a sales channel's orders implement for the capability modules.

    The orders of each channel (sales orders, POS orders) inherit this mixin and say what
    they know (the store they were placed with, ...); reward and referral modules ask these
    hooks, never the channel's fields. Documents that are not a channel's orders (imports,
    tests) are asked nothing: see :meth:`points.allocation._order_hooks`.
    """

    _name = "points.order.mixin"
    _description = "Points Order Hooks"

    def _points_store(self):
        """The store (O2O merchant) the order was placed with, whose recruiter earns merchant rewards and whose
        take rate is the basis of commission buckets; an empty partner for the platform's own sales."""
        self.ensure_one()
        return self.env["res.partner"]
