import base64
import secrets
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

#: Referral codes: no 0/O or 1/I, so that a code read aloud or copied by hand stays right.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
BINDING_CHANNELS = [("code", "Referral code or link"), ("order", "First order"), ("staff", "Staff")]
BINDING_MODES = [("once", "Bind once"), ("rebind", "Rebind allowed"), ("window", "Rebind within a number of days")]
#: Key of the transaction-level advisory lock that serializes moves in the referral tree;
#: order payments take it shared, so team statistics never follow a half-moved subtree.
TREE_LOCK_KEY = 7_031_918_244


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
        return [("id", "in", SQL(
            """(SELECT partner_id FROM points_referral_node
                 WHERE path && %s::int4[] AND NOT (partner_id = ANY(%s::int4[])))""",
            ids, ids))]

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
            partner._move_subtree(self.browse(), "staff", _("The member was deleted."), log=False)
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
        self._check_referral_staff(manager=True)
        for partner in self:
            partner.with_context(points_referral_internal=True).referral_code = self._new_referral_code()

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

    # -- public API (SPEC §13) ----------------------------------------------------------
    @api.model
    def _find_by_referral_code(self, code, company=None):
        """The active member of ``company`` (default: the current one) whose referral code is ``code`` (any case,
        spaces ignored), or an empty recordset: a code of a contact who is not a member finds nobody."""
        code = self._normalize_referral_code(code)
        if not code:
            return self.browse()
        partner = self.sudo().search([("referral_code", "=", code)], limit=1)
        if not partner or not partner._is_points_member(company or self.env.company):
            return self.browse()
        return partner.with_env(self.env)

    def _get_ancestors(self, limit=None):
        """The member's referrers, nearest first (level 1 = the referrer), read from the materialized path."""
        self.ensure_one()
        ancestors = self._referral_path()[-2::-1]
        return self.browse(ancestors[:limit] if limit is not None else ancestors)

    def _get_downline(self):
        """Every member below this one, at any depth, from one query on the path index."""
        self.ensure_one()
        self.env.cr.execute(SQL(
            """SELECT partner_id FROM points_referral_node
                WHERE path @> ARRAY[%s]::int4[] AND partner_id != %s ORDER BY partner_id""",
            self.id, self.id))
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _bind_referrer(self, referrer, via="code", reason=None, company=None):
        """Binds the member (with its whole downline) under ``referrer``; returns the move logged.

        ``via``: ``code`` (a referral code or link), ``order`` (the first order's referral)
        or ``staff``. Code and order bindings follow the binding mode of the settings;
        staff may move anyone, with a reason. Never to oneself or into one's own
        downline, and only under an active member of ``company`` (default: the current
        one). A refused binding raises UserError and changes nothing.
        """
        self.ensure_one()
        if via not in dict(BINDING_CHANNELS):
            raise UserError(_("Unknown way of binding a referrer: %s.", via))
        referrer = referrer.sudo() if referrer else self.browse().sudo()
        if referrer:
            referrer.ensure_one()
        self._check_binding_access(via)
        if via == "staff" and not reason:
            raise UserError(_("Say why the referrer of %s changes.", self.display_name))
        if not referrer and via != "staff":
            raise UserError(_("Choose the referrer."))
        partner = self.sudo()
        partner._referral_lock_tree()
        if referrer:
            self._check_referrer_candidate(referrer, company=company)
        if partner.referrer_id == referrer:
            return self.env["points.referral.move"]
        if via != "staff":
            partner._check_binding_mode(referrer, via)
        return partner._move_subtree(referrer, via, reason)

    # -- binding rules ---------------------------------------------------------------------
    def _check_referrer_candidate(self, referrer, company=None):
        """Refuses a referrer who is the member themself, archived, not an active member of ``company``
        (default: the current one; see ``res.partner._points_member_refusal``) or in the member's own downline."""
        self.ensure_one()
        referrer = referrer.sudo()
        if referrer == self:
            raise UserError(_("%s cannot be their own referrer.", self.display_name))
        if not referrer.active:
            raise UserError(_("%s is archived and cannot refer members.", referrer.display_name))
        refusal = referrer._points_member_refusal(company or self.env.company)
        if refusal:
            raise UserError(_("Only active members can refer others: %s", refusal))
        if self.id in referrer._referral_path():
            raise UserError(_("%(referrer)s is in the team of %(partner)s: binding %(partner)s under them would "
                              "make a loop.", referrer=referrer.display_name, partner=self.display_name))

    def _check_binding_access(self, via):
        """Members bind themselves (code, order); staff bind anyone; moving a bound member needs a manager."""
        if self.env.su:
            return
        user = self.env.user
        if via == "staff":
            self._check_referral_staff(manager=bool(self.referrer_id))
        elif self != user.partner_id and not user.has_group("points_pool.group_points_user"):
            raise AccessError(_("You may only choose your own referrer."))

    def _check_referral_staff(self, manager=False):
        if self.env.su:
            return
        group = "points_pool.group_points_manager" if manager else "points_pool.group_points_user"
        if not self.env.user.has_group(group):
            raise AccessError(_("Only a Points Manager may move a member who already has a referrer.") if manager
                              else _("Only Points staff may set referrers."))

    def _check_binding_mode(self, referrer, via):
        if via == "order" and self.env["points.team.stat"].sudo().search_count(
                [("partner_id", "=", self.id), ("own_order_count", ">", 0)], limit=1):
            raise UserError(_("Only the first order binds a referrer, and %s has ordered before.", self.display_name))
        if self._referrer_changeable():
            return
        mode, days = self._referral_binding_mode()
        if mode == "once":
            raise UserError(_("%(partner)s is already bound to %(referrer)s, and members bind once. A Points Manager "
                              "can still move them with Change Referrer.",
                              partner=self.display_name, referrer=self.referrer_id.display_name))
        if mode == "window":
            raise UserError(_("%(partner)s was bound to %(referrer)s more than %(days)s days ago: the referrer can no "
                              "longer change.", partner=self.display_name, referrer=self.referrer_id.display_name,
                              days=days))

    def _referrer_changeable(self):
        """Whether the member may still bind (a first referrer) or change referrer under the binding mode."""
        if not self.referrer_id:
            return True
        mode, days = self._referral_binding_mode()
        return mode == "rebind" or mode == "window" and fields.Datetime.now() <= (
            self.referral_bound_at or fields.Datetime.now()) + timedelta(days=days)

    @api.model
    def _referral_binding_mode(self):
        params = self.env["ir.config_parameter"].sudo()
        mode = params.get_param("points_referral.binding_mode") or "once"
        return mode, int(params.get_param("points_referral.rebind_days") or 0)

    # -- the tree -------------------------------------------------------------------------------
    def _referral_lock_tree(self, shared=False):
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock_shared(%s)" if shared
                                else "SELECT pg_advisory_xact_lock(%s)", TREE_LOCK_KEY))

    def _referral_path(self):
        """Ids from the root of the member's tree down to the member."""
        self.ensure_one()
        self.env.cr.execute(SQL("SELECT path FROM points_referral_node WHERE partner_id = %s", self.id))
        row = self.env.cr.fetchone()
        return list(row[0]) if row else [self.id]

    def _referral_init_nodes(self):
        """New partners are roots of their own tree (their referral code comes when they become members)."""
        if not self:
            return
        self.env.cr.execute(SQL(
            """INSERT INTO points_referral_node (partner_id, path, depth)
               SELECT id, ARRAY[id], 0 FROM unnest(%s::int4[]) AS new(id)
               ON CONFLICT (partner_id) DO NOTHING""", self.ids))

    def _referral_ensure_code(self):
        """Gives the partners who have none an unguessable referral code; codes already given stay.

        Called when a partner becomes a member (their wallet is created) and when the portal or
        the API shows a member their code: contacts who are not members have no code.
        """
        if not self:
            return
        self.flush_recordset(["referral_code"])
        self.env.cr.execute(SQL("SELECT id FROM res_partner WHERE id = ANY(%s) AND referral_code IS NULL", self.ids))
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            # One statement for a whole import; a code collision fails the unique constraint, never passes silently.
            self.env.cr.execute(SQL(
                """UPDATE res_partner SET referral_code = new.code
                     FROM unnest(%s::int4[], %s::varchar[]) AS new(id, code) WHERE res_partner.id = new.id""",
                ids, [self._new_referral_code() for _id in ids]))
            self.browse(ids).invalidate_recordset(["referral_code"])

    def _move_subtree(self, referrer, via, reason, log=True):
        """Moves the member and its downline under ``referrer`` (or to the top): one UPDATE on the path index,
        then the team sizes and volumes of the old and new ancestors, never the whole downline."""
        self.ensure_one()
        self._referral_init_nodes()
        self.flush_recordset()
        old_referrer = self.referrer_id
        old_path = self._referral_path()
        new_prefix = referrer._referral_path() if referrer else []
        self.env.cr.execute(SQL(
            """UPDATE points_referral_node
                  SET path = %s::int4[] || path[%s:], depth = depth + %s
                WHERE path @> ARRAY[%s]::int4[]""",
            new_prefix, len(old_path), len(new_prefix) - (len(old_path) - 1), self.id))
        size = self.env.cr.rowcount
        old_ancestors = old_path[:-1]
        self._referral_shift_team(old_ancestors, old_referrer, -size)
        self._referral_shift_team(new_prefix, referrer, size)
        self.env["points.team.stat"].sudo()._move_volume(self, old_ancestors, new_prefix)
        self.env["res.partner"].invalidate_model(["referral_depth", "referral_team_size", "referral_direct_count"])
        self.env["points.referral.node"].invalidate_model()
        self.with_context(points_referral_internal=True).write({
            "referrer_id": referrer.id or False,
            "referral_bound_at": fields.Datetime.now() if referrer else False,
            "referral_bound_via": via if referrer else False,
        })
        if not log:
            return self.env["points.referral.move"]
        return self.env["points.referral.move"].sudo().create({
            "partner_id": self.id, "old_referrer_id": old_referrer.id, "new_referrer_id": referrer.id,
            "via": via, "reason": reason, "subtree_size": size, "user_id": self.env.uid,
        })

    def _referral_shift_team(self, ancestors, referrer, size):
        if not ancestors:
            return
        self.env.cr.execute(SQL(
            """UPDATE res_partner
                  SET referral_team_size = coalesce(referral_team_size, 0) + %s,
                      referral_direct_count = coalesce(referral_direct_count, 0) + CASE WHEN id = %s THEN %s ELSE 0 END
                WHERE id = ANY(%s)""",
            size, referrer.id, 1 if size > 0 else -1, ancestors))

    def _referral_chain(self, company, limit=None):
        """The ancestors, nearest first (up to ``limit``), and {ancestor id: rank order} of those who hold an
        active rank in ``company``: the path, then one query on the ranked ancestors only."""
        self.ensure_one()
        ancestors = self._referral_path()[-2::-1]
        if limit is not None:
            ancestors = ancestors[:limit]
        self.env["points.rank"].flush_model(["level", "active"])
        self.env["res.partner"].flush_model(["rank_id", "active"])
        # The path stays in the database: the ranked ancestors come from the rank index, checked against it.
        self.env.cr.execute(SQL(
            """SELECT member.id, rank.level
                 FROM points_referral_node node
                 JOIN res_partner member ON member.id = ANY(node.path)
                 JOIN points_rank rank ON rank.id = (member.rank_id ->> %s)::int4
                WHERE node.partner_id = %s AND member.id != node.partner_id AND member.rank_id IS NOT NULL
                  AND member.active AND rank.active""",
            str(company.id), self.id))
        within = set(ancestors)
        return ancestors, {member: level for member, level in self.env.cr.fetchall() if member in within}

    # -- referral codes ---------------------------------------------------------------------
    @api.model
    def _new_referral_code(self):
        return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))

    @api.model
    def _normalize_referral_code(self, code):
        return "".join((code or "").split()).upper()

    # -- ranks ------------------------------------------------------------------------------------
    def _set_rank(self, rank, company=None, trigger="manual", note=None):
        """Sets the members' rank in ``company`` (default: the current one) and records the change."""
        company = company or self.env.company
        if trigger == "manual":
            self._check_referral_staff(manager=True)
        if rank and rank.company_id != company:
            raise UserError(_("The rank %(rank)s belongs to %(company)s.", rank=rank.display_name,
                              company=rank.company_id.name))
        history = self.env["points.rank.history"]
        for partner in self.sudo().with_company(company):
            old = partner.rank_id
            if old == rank:
                continue
            partner.with_context(points_referral_internal=True).rank_id = rank
            history |= history.sudo().create({
                "partner_id": partner.id, "company_id": company.id, "old_rank_id": old.id, "new_rank_id": rank.id,
                "trigger": trigger, "note": note, "user_id": self.env.uid,
            })
        return history
