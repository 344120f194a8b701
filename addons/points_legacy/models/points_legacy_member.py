from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class PointsLegacyMember(models.Model):
    """A member taken over from the former platform, with what that platform owed them (their payable).

    Imported once (``points.legacy.import.wizard``) and never changed: the consumption balance,
    what was spent and the points released are read from the ledger, which only the pool's
    sequencer writes (see the ``points.legacy.report`` view).
    """

    _name = "points.legacy.member"
    _description = "Legacy Member"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    pool_id = fields.Many2one("points.pool", required=True, readonly=True, ondelete="restrict")
    company_id = fields.Many2one(related="pool_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="pool_id.currency_id")
    partner_id = fields.Many2one("res.partner", required=True, readonly=True, index=True, ondelete="restrict")
    wallet_id = fields.Many2one("points.wallet", required=True, readonly=True, ondelete="restrict")
    legacy_ref = fields.Char("Legacy ID", readonly=True, help="The member's identifier on the former platform.")
    payable = fields.Monetary(
        "Legacy Payable", readonly=True,
        help="What the former platform owed the member when it was taken over: their consumption balance at import.")
    import_ref = fields.Char("Import", readonly=True, help="The import that brought the member over.")
    release_ids = fields.One2many("points.legacy.release", "member_id", readonly=True)
    balance = fields.Monetary("Consumption Balance", compute="_compute_figures",
                              help="What the member can still spend on products.")
    spent = fields.Monetary("Spent", compute="_compute_figures", help="Consumption balance spent, net of refunds.")
    released_points = fields.Float("Points Released", digits=(16, 4), compute="_compute_figures")
    released_value = fields.Monetary("Value Released", compute="_compute_figures",
                                     help="The points released at today's price.")
    remaining = fields.Monetary("Still Owed", compute="_compute_figures",
                                help="The payable less the value of the points released, at today's price.")

    _sql_constraints = [
        ("partner_pool_uniq", "unique(pool_id, partner_id)", "A member is imported once per company."),
        ("legacy_ref_uniq", "unique(pool_id, legacy_ref)", "A legacy ID is imported once per company."),
        ("payable_positive", "CHECK(payable > 0)", "A legacy payable is positive."),
    ]

    def _compute_figures(self):
        report = {line.id: line for line in self.env["points.legacy.report"].sudo().browse(self.ids)}
        for member in self:
            line = report.get(member.id)
            member.balance = line.balance if line else 0.0
            member.spent = line.spent if line else 0.0
            member.released_points = line.released_points if line else 0.0
            member.released_value = line.released_value if line else 0.0
            member.remaining = line.remaining if line else member.payable

    def _released_points(self):
        """Points the member's batch releases minted (their applied contributions)."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """SELECT COALESCE(sum(ledger.points_delta), 0) FROM points_ledger ledger
                 JOIN points_legacy_release release ON release.id = ledger.source_id
                WHERE ledger.source_model = 'points.legacy.release' AND ledger.event = 'contribute'
                  AND release.member_id = %s""", self.id))
        return self.env.cr.fetchone()[0]

    def _check_usable(self, company):
        """Raises unless the member may spend their consumption balance in ``company``."""
        for member in self:
            if member.company_id != company:
                raise UserError(_("%s is a legacy member of another company.", member.partner_id.display_name))
            member.partner_id._check_points_member(company)

    @api.model
    def _for_partner(self, partner, company):
        """The legacy member of ``partner`` (its commercial entity) in ``company``, or an empty recordset."""
        partner = partner.commercial_partner_id
        if not partner:
            return self.browse()
        return self.sudo().search([("partner_id", "=", partner.id), ("company_id", "=", company.id)], limit=1)

    def action_open_ledger(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_pool.points_ledger_action")
        action["domain"] = [("wallet_id", "=", self.wallet_id.id)]
        return action


class PointsLegacyRelease(models.Model):
    """A batch release of points to a legacy member: a contribution to the pool minting their points."""

    _name = "points.legacy.release"
    _description = "Legacy Points Release"
    _order = "id desc"

    member_id = fields.Many2one("points.legacy.member", required=True, readonly=True, index=True,
                                ondelete="restrict")
    partner_id = fields.Many2one(related="member_id.partner_id", store=True)
    company_id = fields.Many2one(related="member_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="member_id.currency_id")
    batches = fields.Integer(readonly=True, help="Batches of spend this release covers.")
    spend = fields.Monetary(readonly=True, help="Consumption balance spent that this release covers.")
    contribution = fields.Monetary(readonly=True, help="Contributed to the profit pool to mint the member's points.")
    released_spend = fields.Monetary(readonly=True, help="Spend all the member's releases cover, this one included.")
    request_id = fields.Many2one("points.pool.request", readonly=True)
    state = fields.Selection(related="request_id.state", string="Status")
    points = fields.Float(digits=(16, 4), compute="_compute_points", string="Points Released")

    _sql_constraints = [
        # Two spends of the member at once cannot release the same batches twice.
        ("member_step_uniq", "unique(member_id, released_spend)", "These batches were released already."),
    ]

    def _compute_points(self):
        for release in self:
            release.points = release.sudo().request_id.ledger_id.points_delta
