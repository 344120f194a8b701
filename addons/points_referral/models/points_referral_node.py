import secrets
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, create_index

#: Referral codes: no 0/O or 1/I, so that a code read aloud or copied by hand stays right.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
BINDING_CHANNELS = [("code", "Referral code or link"), ("order", "First order"), ("staff", "Staff")]
BINDING_MODES = [("once", "Bind once"), ("rebind", "Rebind allowed"), ("window", "Rebind within a number of days")]
#: Key of the transaction-level advisory lock that serializes moves in the referral tree;
#: order payments take it shared, so team statistics never follow a half-moved subtree.
TREE_LOCK_KEY = 7_031_918_244


class PointsReferralNode(models.Model):
    """A member's place in the referral tree: its materialized path and depth, and the tree's upkeep.

    ``path`` is an ``int4[]`` column kept by SQL (no ORM field type fits): the partner
    ids from the root of the member's tree down to the member. Ancestors are read from
    it directly; a whole downline is ``path @> ARRAY[id]``, answered by a GIN index at
    any depth. The node lives in its own narrow table so that moving a subtree rewrites
    small rows with two indexes, never the partners themselves.

    The methods below take partners and run in their environment (same user, same
    superuser flag); ``res.partner`` keeps the entry points other modules call.
    """

    _name = "points.referral.node"
    _description = "Referral Tree Node"
    _log_access = False
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Member", required=True, readonly=True, ondelete="cascade")
    depth = fields.Integer(readonly=True, help="Number of referrers above the member.")

    _sql_constraints = [
        ("partner_uniq", "unique(partner_id)", "A member has one place in the referral tree."),
    ]

    def init(self):
        self.env.cr.execute(SQL("ALTER TABLE points_referral_node ADD COLUMN IF NOT EXISTS path int4[]"))
        create_index(self.env.cr, "points_referral_node_path_gin_index", self._table, ["path"], method="gin")

    # -- reading the tree ------------------------------------------------------------------
    @api.model
    def _path_of(self, partner):
        """Ids from the root of the partner's tree down to the partner."""
        partner.ensure_one()
        self.env.cr.execute(SQL("SELECT path FROM points_referral_node WHERE partner_id = %s", partner.id))
        row = self.env.cr.fetchone()
        return list(row[0]) if row else [partner.id]

    @api.model
    def _downline_ids(self, partner):
        """Ids of every member below ``partner``, at any depth, from one query on the path index."""
        partner.ensure_one()
        self.env.cr.execute(SQL(
            """SELECT partner_id FROM points_referral_node
                WHERE path @> ARRAY[%s]::int4[] AND partner_id != %s ORDER BY partner_id""",
            partner.id, partner.id))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _team_of_query(self, ids):
        """SQL of the members in the downlines of ``ids`` (the members themselves excluded)."""
        return SQL(
            """(SELECT partner_id FROM points_referral_node
                 WHERE path && %s::int4[] AND NOT (partner_id = ANY(%s::int4[])))""",
            ids, ids)

    @api.model
    def _ranked_chain(self, partner, company, limit=None):
        """The ancestors, nearest first (up to ``limit``), and {ancestor id: rank level} of those who hold an
        active rank in ``company``: the path, then one query on the ranked ancestors only."""
        partner.ensure_one()
        ancestors = self._path_of(partner)[-2::-1]
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
            str(company.id), partner.id))
        within = set(ancestors)
        return ancestors, {member: level for member, level in self.env.cr.fetchall() if member in within}

    # -- keeping the tree ------------------------------------------------------------------
    @api.model
    def _lock_tree(self, shared=False):
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock_shared(%s)" if shared
                                else "SELECT pg_advisory_xact_lock(%s)", TREE_LOCK_KEY))

    @api.model
    def _init_nodes(self, partners):
        """New partners are roots of their own tree (their referral code comes when they become members)."""
        if not partners:
            return
        self.env.cr.execute(SQL(
            """INSERT INTO points_referral_node (partner_id, path, depth)
               SELECT id, ARRAY[id], 0 FROM unnest(%s::int4[]) AS new(id)
               ON CONFLICT (partner_id) DO NOTHING""", partners.ids))

    @api.model
    def _bind(self, partner, referrer, via="code", reason=None, company=None):
        """Binds ``partner`` (with its whole downline) under ``referrer``; see ``res.partner._bind_referrer``."""
        partner.ensure_one()
        if via not in dict(BINDING_CHANNELS):
            raise UserError(_("Unknown way of binding a referrer: %s.", via))
        referrer = referrer.sudo() if referrer else partner.browse().sudo()
        if referrer:
            referrer.ensure_one()
        self._check_binding_access(partner, via)
        if via == "staff" and not reason:
            raise UserError(_("Say why the referrer of %s changes.", partner.display_name))
        if not referrer and via != "staff":
            raise UserError(_("Choose the referrer."))
        member = partner.sudo()
        self._lock_tree()
        if referrer:
            self._check_candidate(partner, referrer, company=company)
        if member.referrer_id == referrer:
            return self.env["points.referral.move"]
        if via != "staff":
            self._check_binding_mode(member, referrer, via)
        return self.sudo()._move_subtree(member, referrer, via, reason)

    @api.model
    def _move_subtree(self, partner, referrer, via, reason, log=True):
        """Moves ``partner`` and its downline under ``referrer`` (or to the top): one UPDATE on the path index,
        then the team sizes and volumes of the old and new ancestors, never the whole downline."""
        partner.ensure_one()
        self._init_nodes(partner)
        partner.flush_recordset()
        old_referrer = partner.referrer_id
        old_path = self._path_of(partner)
        new_prefix = self._path_of(referrer) if referrer else []
        self.env.cr.execute(SQL(
            """UPDATE points_referral_node
                  SET path = %s::int4[] || path[%s:], depth = depth + %s
                WHERE path @> ARRAY[%s]::int4[]""",
            new_prefix, len(old_path), len(new_prefix) - (len(old_path) - 1), partner.id))
        size = self.env.cr.rowcount
        old_ancestors = old_path[:-1]
        self._shift_team(old_ancestors, old_referrer, -size)
        self._shift_team(new_prefix, referrer, size)
        self.env["points.team.stat"].sudo()._move_volume(partner, old_ancestors, new_prefix)
        self.env["res.partner"].invalidate_model(["referral_depth", "referral_team_size", "referral_direct_count"])
        self.invalidate_model()
        partner.with_context(points_referral_internal=True).write({
            "referrer_id": referrer.id or False,
            "referral_bound_at": fields.Datetime.now() if referrer else False,
            "referral_bound_via": via if referrer else False,
        })
        if not log:
            return self.env["points.referral.move"]
        return self.env["points.referral.move"].sudo().create({
            "partner_id": partner.id, "old_referrer_id": old_referrer.id, "new_referrer_id": referrer.id,
            "via": via, "reason": reason, "subtree_size": size, "user_id": self.env.uid,
        })

    @api.model
    def _shift_team(self, ancestors, referrer, size):
        if not ancestors:
            return
        self.env.cr.execute(SQL(
            """UPDATE res_partner
                  SET referral_team_size = coalesce(referral_team_size, 0) + %s,
                      referral_direct_count = coalesce(referral_direct_count, 0) + CASE WHEN id = %s THEN %s ELSE 0 END
                WHERE id = ANY(%s)""",
            size, referrer.id, 1 if size > 0 else -1, ancestors))

    # -- binding rules ---------------------------------------------------------------------
    @api.model
    def _check_candidate(self, partner, referrer, company=None):
        """Refuses a referrer who is the member themself, archived, not an active member of ``company``
        (default: the current one; see ``res.partner._points_member_refusal``) or in the member's own downline."""
        partner.ensure_one()
        referrer = referrer.sudo()
        if referrer == partner:
            raise UserError(_("%s cannot be their own referrer.", partner.display_name))
        if not referrer.active:
            raise UserError(_("%s is archived and cannot refer members.", referrer.display_name))
        refusal = referrer._points_member_refusal(company or self.env.company)
        if refusal:
            raise UserError(_("Only active members can refer others: %s", refusal))
        if partner.id in self._path_of(referrer):
            raise UserError(_("%(referrer)s is in the team of %(partner)s: binding %(partner)s under them would "
                              "make a loop.", referrer=referrer.display_name, partner=partner.display_name))

    @api.model
    def _check_binding_access(self, partner, via):
        """Members bind themselves (code, order); staff bind anyone; moving a bound member needs a manager."""
        if self.env.su:
            return
        user = self.env.user
        if via == "staff":
            self._check_staff(manager=bool(partner.referrer_id))
        elif partner != user.partner_id and not user.has_group("points_pool.group_points_user"):
            raise AccessError(_("You may only choose your own referrer."))

    @api.model
    def _check_staff(self, manager=False):
        if self.env.su:
            return
        group = "points_pool.group_points_manager" if manager else "points_pool.group_points_user"
        if not self.env.user.has_group(group):
            raise AccessError(_("Only a Points Manager may move a member who already has a referrer.") if manager
                              else _("Only Points staff may set referrers."))

    @api.model
    def _check_binding_mode(self, partner, referrer, via):
        if via == "order" and self.env["points.team.stat"].sudo().search_count(
                [("partner_id", "=", partner.id), ("own_order_count", ">", 0)], limit=1):
            raise UserError(_("Only the first order binds a referrer, and %s has ordered before.",
                              partner.display_name))
        if self._referrer_changeable(partner):
            return
        mode, days = self._binding_mode()
        if mode == "once":
            raise UserError(_("%(partner)s is already bound to %(referrer)s, and members bind once. A Points Manager "
                              "can still move them with Change Referrer.",
                              partner=partner.display_name, referrer=partner.referrer_id.display_name))
        if mode == "window":
            raise UserError(_("%(partner)s was bound to %(referrer)s more than %(days)s days ago: the referrer can no "
                              "longer change.", partner=partner.display_name,
                              referrer=partner.referrer_id.display_name, days=days))

    @api.model
    def _referrer_changeable(self, partner):
        """Whether ``partner`` may still bind (a first referrer) or change referrer under the binding mode."""
        if not partner.referrer_id:
            return True
        mode, days = self._binding_mode()
        return mode == "rebind" or mode == "window" and fields.Datetime.now() <= (
            partner.referral_bound_at or fields.Datetime.now()) + timedelta(days=days)

    @api.model
    def _binding_mode(self):
        params = self.env["ir.config_parameter"].sudo()
        mode = params.get_param("points_referral.binding_mode") or "once"
        return mode, int(params.get_param("points_referral.rebind_days") or 0)

    # -- referral codes ---------------------------------------------------------------------
    @api.model
    def _new_code(self):
        return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))

    @api.model
    def _normalize_code(self, code):
        return "".join((code or "").split()).upper()

    @api.model
    def _find_by_code(self, code, company=None):
        """The active member of ``company`` (default: the current one) whose referral code is ``code`` (any case,
        spaces ignored), or no partner: a code of a contact who is not a member finds nobody."""
        Partner = self.env["res.partner"]
        code = self._normalize_code(code)
        if not code:
            return Partner
        partner = Partner.sudo().search([("referral_code", "=", code)], limit=1)
        if not partner or not partner._is_points_member(company or self.env.company):
            return Partner
        return partner.with_env(self.env)

    @api.model
    def _ensure_codes(self, partners):
        """Gives the partners who have none an unguessable referral code; codes already given stay."""
        if not partners:
            return
        partners.flush_recordset(["referral_code"])
        self.env.cr.execute(SQL("SELECT id FROM res_partner WHERE id = ANY(%s) AND referral_code IS NULL",
                                partners.ids))
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            # One statement for a whole import; a code collision fails the unique constraint, never passes silently.
            self.env.cr.execute(SQL(
                """UPDATE res_partner SET referral_code = new.code
                     FROM unnest(%s::int4[], %s::varchar[]) AS new(id, code) WHERE res_partner.id = new.id""",
                ids, [self._new_code() for _id in ids]))
            partners.browse(ids).invalidate_recordset(["referral_code"])
