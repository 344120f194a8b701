from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class PointsPool(models.Model):
    """Member portal settings of the company's pool: the disclosure text and the API rate limit."""

    _inherit = "points.pool"

    portal_disclosure = fields.Html(
        "Member Disclosure", translate=True, sanitize=True,
        help="Risk disclosure shown to members on the portal and returned by the API (SPEC §9). Empty: the "
             "default text.")
    api_rate_limit = fields.Integer(
        "API Calls per Minute", default=60, required=True,
        help="Most JSON API calls one member may make per minute; 0 means no limit.")

    @api.constrains("api_rate_limit")
    def _check_api_rate_limit(self):
        if any(pool.api_rate_limit < 0 for pool in self):
            raise ValidationError(_("The API rate limit cannot be negative (0 means no limit)."))

    def _portal_disclosure_html(self):
        """The company's disclosure, or the default text in the reader's language."""
        self.ensure_one()
        return self.portal_disclosure or self.env["ir.qweb"]._render("points_portal.portal_disclosure_default", {})

    def _price_history(self, limit=200):
        """(date, price) after each event, oldest first, downsampled to at most ``limit`` points.

        Prices are public: members read them without reading other members' ledger rows.
        """
        self.ensure_one()
        self.env.cr.execute(SQL(
            "SELECT date, price_after FROM points_ledger WHERE pool_id = %s ORDER BY id", self.id))
        history = self.env.cr.fetchall()
        if len(history) > limit:
            step = len(history) / (limit - 1)
            history = [history[int(i * step)] for i in range(limit - 1)] + [history[-1]]
        return history

    # -- demo ---------------------------------------------------------------------------
    @api.model
    def _demo_portal_member(self, partner_id, order_id):
        """The demo portal member pays an order of 500.00 contributing 150.00 (once); returns the pool request."""
        pool = self.sudo()._get_for_company(self.env.ref("base.main_company"))
        partner = self.env["res.partner"].browse(partner_id)
        return pool.contribute(partner, 500.0, 150.0, source=self.env["res.partner.category"].browse(order_id))
