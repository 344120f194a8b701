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

    def _points_referrer(self):
        """The referrer the order names for its buyer (bound when its first line is paid); an empty partner."""
        self.ensure_one()
        return self.env["res.partner"]

    def _points_pickup_point(self):
        """The service point where the buyer collects the order; an empty partner when delivered otherwise."""
        self.ensure_one()
        return self.env["res.partner"]

    def _points_delivery_date(self):
        """When the goods reached the buyer (the return window starts then), or False while unknown."""
        self.ensure_one()
        return False

    def _points_buyer_address(self):
        """The address the goods go to (regional agents are found by it); an empty partner for the buyer's own."""
        self.ensure_one()
        return self.env["res.partner"]

    def _points_staff_chatter(self):
        """The order in the staff's language to post a note on (``message_post``), or None without a chatter."""
        self.ensure_one()
        return self._points_in_staff_lang() if isinstance(self, self.pool["mail.thread"]) else None
