import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .points_referral_node import BINDING_CHANNELS


class ResPartner(models.Model):
    """The referral tree (SPEC §5) on partners: the referrer link, codes, binding rules and team sizes.

    Each member's materialized path is kept in ``points.referral.node`` (see there):
    ancestors and a whole downline come from one indexed query at any depth.
    """

    _inherit = "res.partner"

    referrer_id = fields.Many2one(
        "res.partner", string="Referrer", index=True, readonly=True, copy=False, ondelete="restrict", tracking=True,
        help="The member who referred this one. Change it with Change Referrer: every move is logged.")
    referee_ids = fields.One2many("res.partner", "referrer_id", string="Direct Referees", readonly=True)
    referral_code = fields.Char(copy=False, readonly=True,
                                help="Short code members share to refer others; not case-sensitive.")
    referral_depth = fields.Integer("Referral Depth", compute="_compute_referral_depth",
                                    help="Number of referrers above the member.")
    referral_bound_at = fields.Datetime("Bound On", readonly=True, copy=False)
    referral_bound_via = fields.Selection(BINDING_CHANNELS, string="Bound Through", readonly=True, copy=False)
    referral_direct_count = fields.Integer("Direct Referees Count", readonly=True, copy=False)
    referral_team_size = fields.Integer("Team Size", readonly=True, copy=False,
                                        help="Members in the whole downline, at any depth.")
    referral_team_of = fields.Many2one(
        "res.partner", string="In the Team of", compute="_compute_referral_team_of",
        search="_search_referral_team_of", help="Search the whole downline of a member.")
    rank_id = fields.Many2one(
        "points.rank", string="Rank", company_dependent=True, readonly=True, copy=False,
        help="Rank in the current company; upgrades are automatic, downgrades manual (Change Rank).")
    rank_history_ids = fields.One2many("points.rank.history", "partner_id", string="Rank History", readonly=True)
    referral_move_ids = fields.One2many("points.referral.move", "partner_id", string="Referrer Changes",
                                        readonly=True)
    referral_own_spend = fields.Monetary("Own Spend", compute="_compute_referral_stats")
    referral_own_order_count = fields.Integer("Own Orders", compute="_compute_referral_stats")
    referral_team_volume = fields.Monetary("Team Volume", compute="_compute_referral_stats",
                                           help="Spend of the whole downline in the current company.")
    referral_team_order_count = fields.Integer("Team Orders", compute="_compute_referral_stats")
    referral_share_url = fields.Char("Share Link", compute="_compute_referral_share")
    referral_qr_code = fields.Binary("QR Code", compute="_compute_referral_share")

    _sql_constraints = [
        ("referral_code_uniq", "unique(referral_code)", "Referral codes are unique."),
    ]

    # -- computes ---------------------------------------------------------------------
    def _compute_referral_depth(self):
        depths = dict(self.env["points.referral.node"].sudo().search_fetch(
            [("partner_id", "in", self.ids)], ["partner_id", "depth"]).mapped(lambda n: (n.partner_id.id, n.depth)))
        for partner in self:
            partner.referral_depth = depths.get(partner.id, 0)

    def _compute_referral_team_of(self):
        self.referral_team_of = False

    def _search_referral_team_of(self, operator, value):
        if operator not in ("=", "in") or not value:
            raise UserError(_("Search a team with one member or a list of members."))
        ids = [value] if isinstance(value, int) else list(value)
        return [("id", "in", self.env["points.referral.node"]._team_of_query(ids))]

    @api.depends_context("company")
    def _compute_referral_stats(self):
        stats = {stat.partner_id.id: stat for stat in self.env["points.team.stat"].sudo().search(
            [("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id)])}
        for partner in self:
            stat = stats.get(partner.id)
            partner.referral_own_spend = stat.own_spend if stat else 0.0
            partner.referral_own_order_count = stat.own_order_count if stat else 0
            partner.referral_team_volume = stat.team_volume if stat else 0.0
            partner.referral_team_order_count = stat.team_order_count if stat else 0

    @api.depends("referral_code")
    def _compute_referral_share(self):
        for partner in self:
            url = partner.referral_code and f"{partner.get_base_url()}/points/r/{partner.referral_code}"
            partner.referral_share_url = url or False
            partner.referral_qr_code = url and base64.b64encode(
                self.env["ir.actions.report"].barcode("QR", url, width=240, height=240))

    # -- CRUD -------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        referrers = [vals.pop("referrer_id", False) for vals in vals_list]
        ranks = [vals.pop("rank_id", False) for vals in vals_list]
        partners = super().create(vals_list)
        partners._referral_init_nodes()
        for partner, referrer, rank in zip(partners, referrers, ranks):
            if referrer:
                partner._bind_referrer(
                    self.browse(referrer), via=self.env.context.get("points_referral_via", "staff"),
                    reason=self.env.context.get("points_referral_reason") or _("Set when the partner was created."))
            if rank:
                partner._set_rank(self.env["points.rank"].browse(rank), note=_("Set when the partner was created."))
        return partners

    def write(self, vals):
        if self.env.context.get("points_referral_internal"):
            return super().write(vals)
        vals = dict(vals)
        if "referral_code" in vals:
            vals["referral_code"] = self._normalize_referral_code(vals["referral_code"]) or False
        result = super().write({k: v for k, v in vals.items() if k not in ("referrer_id", "rank_id")})
        if "referrer_id" in vals:
            referrer = self.browse(vals["referrer_id"])
            for partner in self:
                partner._bind_referrer(referrer, via="staff", reason=_("Set on the partner record."))
        if "rank_id" in vals:
            self._set_rank(self.env["points.rank"].browse(vals["rank_id"]), note=_("Set on the partner record."))
        return result

    def unlink(self):
        # A deleted leaf leaves its ancestors' team sizes right; members with referees cannot go (restrict).
        for partner in self.filtered("referrer_id"):
            self.env["points.referral.node"]._move_subtree(partner, self.browse(), "staff",
                                                           _("The member was deleted."), log=False)
        return super().unlink()

    # -- actions ----------------------------------------------------------------------------
    def action_open_referral_bind_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "points.referral.bind.wizard", "view_mode": "form",
            "target": "new", "name": _("Change Referrer"), "context": {"default_partner_id": self.id},
        }

    def action_open_rank_set_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "points.rank.set.wizard", "view_mode": "form",
            "target": "new", "name": _("Change Rank"),
            "context": {"default_partner_id": self.id, "default_rank_id": self.rank_id.id},
        }

    def action_open_team(self):
        """The member's downline as a hierarchy: the member on top, referees below."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_referral.res_partner_team_action")
        action["domain"] = [("id", "=", self.id)]
        action["context"] = {"points_team_root": self.id}
        action["display_name"] = _("Team of %s", self.display_name)
        return action

    def action_open_team_list(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_referral.res_partner_team_list_action")
        action["domain"] = [("referral_team_of", "=", self.id)]
        action["display_name"] = _("Team of %s", self.display_name)
        return action

    def action_regenerate_referral_code(self):
        Node = self.env["points.referral.node"]
        Node._check_staff(manager=True)
        for partner in self:
            partner.with_context(points_referral_internal=True).referral_code = Node._new_code()

    @api.model
    def hierarchy_read(self, domain, fields, parent_field, child_field=None, order=None):
        """In a team view the member is the root: its own referrer and that one's referees stay out."""
        result = super().hierarchy_read(domain, fields, parent_field, child_field=child_field, order=order)
        root = self.env.context.get("points_team_root")
        if root and parent_field == "referrer_id" and any(row["id"] == root for row in result):
            result = [row for row in result
                      if row["id"] == root or (row.get("referrer_id") and row["referrer_id"][0] == root)]
            for row in result:
                if row["id"] == root:
                    row["referrer_id"] = False
        return result

    # -- public API (SPEC §13): the tree is kept by points.referral.node, ranks by points.rank -----
    @api.model
    def _find_by_referral_code(self, code, company=None):
        """The active member of ``company`` (default: the current one) whose referral code is ``code`` (any case,
        spaces ignored), or an empty recordset: a code of a contact who is not a member finds nobody."""
        return self.env["points.referral.node"]._find_by_code(code, company=company)

    def _get_ancestors(self, limit=None):
        """The member's referrers, nearest first (level 1 = the referrer), read from the materialized path."""
        ancestors = self._referral_path()[-2::-1]
        return self.browse(ancestors[:limit] if limit is not None else ancestors)

    def _get_downline(self):
        """Every member below this one, at any depth, from one query on the path index."""
        return self.browse(self.env["points.referral.node"]._downline_ids(self))

    def _bind_referrer(self, referrer, via="code", reason=None, company=None):
        """Binds the member (with its whole downline) under ``referrer``; returns the move logged.

        ``via``: ``code`` (a referral code or link), ``order`` (the first order's referral)
        or ``staff``. Code and order bindings follow the binding mode of the settings;
        staff may move anyone, with a reason. Never to oneself or into one's own
        downline, and only under an active member of ``company`` (default: the current
        one). A refused binding raises UserError and changes nothing.
        """
        return self.env["points.referral.node"]._bind(self, referrer, via=via, reason=reason, company=company)

    def _check_referrer_candidate(self, referrer, company=None):
        """Refuses a referrer who is the member themself, archived, not an active member of ``company``
        (default: the current one; see ``res.partner._points_member_refusal``) or in the member's own downline."""
        self.env["points.referral.node"]._check_candidate(self, referrer, company=company)

    def _check_binding_mode(self, referrer, via):
        """Refuses a code or order binding the settings' binding mode does not allow (UserError)."""
        self.env["points.referral.node"]._check_binding_mode(self, referrer, via)

    def _referrer_changeable(self):
        """Whether the member may still bind (a first referrer) or change referrer under the binding mode."""
        return self.env["points.referral.node"]._referrer_changeable(self)

    @api.model
    def _referral_binding_mode(self):
        """``(mode, days)`` of the settings: bind once, rebind, or rebind within ``days``."""
        return self.env["points.referral.node"]._binding_mode()

    def _referral_path(self):
        """Ids from the root of the member's tree down to the member."""
        return self.env["points.referral.node"]._path_of(self)

    def _referral_chain(self, company, limit=None):
        """The ancestors, nearest first (up to ``limit``), and {ancestor id: rank level} of the ranked ones."""
        return self.env["points.referral.node"]._ranked_chain(self, company, limit=limit)

    def _referral_init_nodes(self):
        """New partners are roots of their own tree (their referral code comes when they become members)."""
        self.env["points.referral.node"]._init_nodes(self)

    def _referral_ensure_code(self):
        """Gives the partners who have none an unguessable referral code; codes already given stay.

        Called when a partner becomes a member (their wallet is created) and when the portal or
        the API shows a member their code: contacts who are not members have no code.
        """
        self.env["points.referral.node"]._ensure_codes(self)

    @api.model
    def _normalize_referral_code(self, code):
        return self.env["points.referral.node"]._normalize_code(code)

    def _set_rank(self, rank, company=None, trigger="manual", note=None):
        """Sets the members' rank in ``company`` (default: the current one) and records the change."""
        return rank.with_env(self.env)._assign_to(self, company=company, trigger=trigger, note=note)
