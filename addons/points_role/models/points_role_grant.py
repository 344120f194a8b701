from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

ROLE_SELECTION = [("agent", "Territory agency"), ("service_point", "Service-point franchise"),
                  ("rank", "Rank (gift package)")]
GRANT_STATES = [("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked"), ("refused", "Refused")]


class PointsRoleGrant(models.Model):
    """A role a member bought: one paid order line of a role product (an agency of a territory, a franchise)."""

    _name = "points.role.grant"
    _inherit = ["points.source.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Role Purchase"
    _order = "date_start desc, id desc"

    partner_id = fields.Many2one("res.partner", string="Member", required=True, readonly=True, index=True,
                                 ondelete="restrict")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    role = fields.Selection(ROLE_SELECTION, required=True, readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    territory_id = fields.Many2one("points.territory", readonly=True, index="btree_not_null")
    agent_id = fields.Many2one("points.agent", string="Agency", readonly=True, index="btree_not_null",
                               context={"active_test": False})
    rank_id = fields.Many2one("points.rank", string="Rank", readonly=True)
    previous_rank_id = fields.Many2one("points.rank", string="Previous Rank", readonly=True,
                                       help="The member's rank before this purchase, given back on a refund.")
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    date_start = fields.Date(readonly=True)
    date_end = fields.Date(readonly=True, tracking=True)
    state = fields.Selection(GRANT_STATES, default="active", required=True, readonly=True, tracking=True, index=True)
    note = fields.Char(readonly=True)
    reminded = fields.Boolean(readonly=True, help="The agent and the responsible were told the term ends soon.")

    _sql_constraints = [
        ("source_uniq", "unique(source_model, source_id)", "An order line grants its role once."),
    ]

    @api.depends("partner_id", "role", "territory_id")
    def _compute_display_name(self):
        labels = dict(self._fields["role"]._description_selection(self.env))
        for grant in self:
            what = grant.territory_id.name or labels.get(grant.role, "")
            grant.display_name = f"{grant.partner_id.name or ''} – {what}"

    # -- granting and revoking (allocation hooks) -------------------------------------------------
    @api.model
    def _grant(self, rows):
        """The line of allocation ``rows`` is paid: its product's role goes to the buyer (idempotent)."""
        first = rows[:1]
        product = first.product_id
        role = product.points_role
        if not role or self.sudo().search_count([("source_model", "=", first.source_model),
                                                 ("source_id", "=", first.source_id)]):
            return self.browse()
        line = first._source_line()
        partner = first.partner_id.commercial_partner_id
        values = {"partner_id": partner.id, "company_id": first.company_id.id, "role": role,
                  "product_id": product.id, "quantity": first.quantity,
                  "source_model": first.source_model, "source_id": first.source_id,
                  "order_model": first.order_model, "order_id": first.order_id,
                  "date_start": fields.Date.context_today(self)}
        if role == "agent":
            values.update(self._agency_values(line, product, partner, first.quantity))
        elif role == "rank":
            values.update(self._rank_values(product, partner, first.company_id, first._source_order()))
        else:
            partner.sudo().points_is_service_point = True
        return self.sudo().create(values)

    @api.model
    def _rank_values(self, product, partner, company, order):
        """Raises the buyer to the product's rank (never down); the previous rank is kept for a refund."""
        rank = product.points_role_rank_id
        previous = partner.sudo().with_company(company).rank_id
        if rank and rank.company_id == company and rank.level > previous.level:
            partner._set_rank(rank, company, trigger="order", note=order.display_name if order else None)
        return {"rank_id": rank.id, "previous_rank_id": previous.id}

    @api.model
    def _agency_values(self, line, product, partner, quantity):
        """Opens or extends the agency of the line's territory; a territory taken meanwhile is refused."""
        territory = product._points_role_territory(line)
        if not territory:
            return {"state": "refused", "note": _("No territory was chosen.")}
        agent = territory._current_agent()
        if agent and agent.partner_id != partner:
            return {"territory_id": territory.id, "state": "refused",
                    "note": _("The territory is held by %s.", agent.partner_id.name)}
        today = fields.Date.context_today(self)
        start = max(agent.date_end, today) if agent and agent.date_end else today
        end = start + relativedelta(months=self._term_months(product, quantity))
        if agent:
            agent.sudo().date_end = end
        else:
            agent = self.env["points.agent"].sudo().create(
                dict(territory._agent_values(), partner_id=partner.id, date_start=start, date_end=end))
        return {"territory_id": territory.id, "agent_id": agent.id, "date_start": start, "date_end": end}

    @api.model
    def _term_months(self, product, quantity):
        """Months of agency ``quantity`` units of ``product`` buy (whole months, at least one)."""
        return max(int(product.points_role_term_months * quantity), 1)

    def _shorten(self, kept_ratio):
        """Part of the lines of these agency purchases was refunded: their terms keep ``kept_ratio`` of the months."""
        for grant in self.filtered(lambda g: g.state == "active" and g.role == "agent" and g.agent_id):
            months = self._term_months(grant.product_id, grant.quantity * kept_ratio)
            grant.sudo().date_end = grant.date_start + relativedelta(months=months)
        self._settle_roles()

    def _revoke(self):
        """The lines of these grants were refunded: their roles end (an agency keeps what other purchases pay)."""
        grants = self.filtered(lambda g: g.state == "active")
        grants.sudo().write({"state": "revoked"})
        grants._settle_roles()

    def _settle_roles(self):
        """Agencies run until the end of their last active purchase; franchises while one is active; a rank
        bought and refunded goes back to the previous one (unless the member's rank changed since)."""
        Grant = self.sudo()
        for grant in self.filtered(lambda g: g.role == "rank" and g.state != "active" and g.rank_id):
            if grant.partner_id.sudo().with_company(grant.company_id).rank_id == grant.rank_id:
                grant.partner_id._set_rank(grant.previous_rank_id, grant.company_id, trigger="order",
                                           note=grant.order_ref.display_name if grant.order_ref else None)
        for agent in self.agent_id:
            ends = Grant.search([("agent_id", "=", agent.id), ("state", "=", "active")]).mapped("date_end")
            agent.sudo().write({"date_end": max(ends), "active": True} if ends else {"active": False})
        for grant in self.filtered(lambda g: g.role == "service_point"):
            if not Grant.search_count([("partner_id", "=", grant.partner_id.id), ("role", "=", "service_point"),
                                       ("state", "=", "active")]):
                grant.partner_id.sudo().points_is_service_point = False

    # -- term -----------------------------------------------------------------------------------
    @api.model
    def _cron_role_terms(self):
        """Scheduled job: tells agents whose term ends soon, and deactivates the agencies that ended."""
        today = fields.Date.context_today(self)
        Grant = self.sudo()
        for company in Grant.search([("state", "=", "active"), ("role", "=", "agent")]).company_id:
            soon = today + timedelta(days=company.points_role_reminder_days)
            due = Grant.search([("company_id", "=", company.id), ("state", "=", "active"), ("role", "=", "agent"),
                                ("reminded", "=", False), ("date_end", "<=", soon), ("date_end", ">", today)])
            due.filtered(lambda g: g.date_end == g.agent_id.date_end)._remind()
        ended = Grant.search([("state", "=", "active"), ("role", "=", "agent"), ("date_end", "<=", today)])
        ended.write({"state": "expired"})
        ended._settle_roles()

    def _remind(self):
        """An activity for the responsible staff and a message to the agent, each in the reader's language."""
        for grant in self:
            user = grant.company_id.points_role_user_id
            if user:
                in_user_lang = grant.with_context(lang=user.lang)
                in_user_lang.activity_schedule(
                    "mail.mail_activity_data_todo", date_deadline=grant.date_end, user_id=user.id,
                    summary=in_user_lang.env._("Agency of %(territory)s ends on %(date)s: offer the renewal",
                                               territory=grant.territory_id.name, date=grant.date_end))
            agent = grant.partner_id
            in_agent_lang = grant.with_context(lang=agent.lang or grant.company_id.partner_id.lang)
            in_agent_lang.message_notify(
                partner_ids=agent.ids,
                subject=in_agent_lang.env._("Your agency of %s ends soon", grant.territory_id.name),
                body=in_agent_lang.env._("Your agency of %(territory)s ends on %(date)s. Buy it again before then "
                                         "to extend it.", territory=grant.territory_id.name, date=grant.date_end))
            grant.reminded = True
