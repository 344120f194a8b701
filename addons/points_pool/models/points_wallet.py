from decimal import Decimal

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index

from odoo.addons.points_engine import Cycle

from ..exceptions import refusal
from ..fields import loose_referrer
from odoo.addons.points_engine.rounding import money_half_up, points_down, to_decimal
from odoo.addons.points_engine.wallet import cash_debt


class PointsWallet(models.Model):
    _name = "points.wallet"
    _description = "Member Points Wallet"
    _inherit = ["mail.thread"]
    _rec_names_search = ["partner_id"]
    _order = "id desc"

    # No index of its own: the unique (partner_id, pool_id) index leads with it.
    partner_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="restrict")
    pool_id = fields.Many2one("points.pool", required=True, readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="pool_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="pool_id.currency_id")
    state = fields.Selection(
        [("active", "Active"), ("exited", "Exited"), ("blocked", "Blocked")],
        default="active", required=True, tracking=True,
        help="Exited: the last cycle closed by forced exit; the next purchase opens a new cycle. "
             "Blocked: the member may not earn, sell or redeem.")
    points = fields.Float(digits=(16, 4), readonly=True)
    value = fields.Monetary(compute="_compute_value", help="Points held at the current price.")
    cash_balance = fields.Monetary(readonly=True, help="Cash the member can withdraw; negative only for a refund debt.")
    frozen_balance = fields.Monetary(readonly=True, help="Rewards credited but not yet released.")
    debt = fields.Monetary(
        compute="_compute_debt", store=True,
        help="Refund debt: the negative part of the cash balance. Withdrawals wait until it is paid.")
    lifetime_spend = fields.Monetary(readonly=True)
    cycle_number = fields.Integer(default=1, readonly=True)
    cycle_spend = fields.Monetary(readonly=True, help="Eligible spend since the current cycle opened (S).")
    cycle_realized = fields.Monetary(readonly=True, help="Gross value of points sold in the current cycle (R).")
    exit_price = fields.Float(
        digits=(16, 6), readonly=True,
        help="Price at which this member is forced out: (multiple × spend − realized) ÷ points held.")
    exit_count = fields.Integer(readonly=True)
    reserved_points = fields.Float(
        digits=(16, 4), compute="_compute_reserved_points",
        help="Points the member's pending sells and payments hold back until the pool applies them.")
    available_points = fields.Float(digits=(16, 4), compute="_compute_reserved_points",
                                    help="Points held less the points reserved.")
    ledger_ids = fields.One2many("points.ledger", "wallet_id")

    _sql_constraints = [
        ("partner_pool_uniq", "unique(partner_id, pool_id)", "A member has one wallet per pool."),
    ]

    def init(self):
        # Finding who must exit after a price rise reads this index, never all wallets.
        create_index(self.env.cr, "points_wallet_pool_exit_price_index", self._table,
                     ["pool_id", "exit_price", "id"], where="exit_price IS NOT NULL")
        # One row per member that only the member's own outgoing requests write (never the sequencer),
        # so reserving points waits for the member's other requests only, never for the pool.
        self.env.cr.execute(SQL(
            """CREATE TABLE IF NOT EXISTS points_wallet_hold (
                   wallet_id integer PRIMARY KEY REFERENCES points_wallet(id) ON DELETE CASCADE,
                   version bigint NOT NULL DEFAULT 0)"""))

    def _compute_reserved_points(self):
        reserved = self._reserved_by_wallet()
        for wallet in self:
            points = reserved.get(wallet.id, (0, 0))[0]
            wallet.reserved_points = float(points)
            wallet.available_points = float(points_down(to_decimal(wallet.points)) - points)

    def _reserved_by_wallet(self):
        """{wallet id: (points, cash)} the wallets' pending requests hold back."""
        ids = [wallet_id for wallet_id in self.ids if wallet_id]
        if not ids:
            return {}
        self.env["points.pool.request"].flush_model(["wallet_id", "state", "reserved_points", "reserved_cash"])
        self.env.cr.execute(SQL(
            """SELECT wallet_id, sum(reserved_points), sum(reserved_cash) FROM points_pool_request
                WHERE wallet_id = ANY(%s) AND state = 'pending' AND (reserved_points > 0 OR reserved_cash > 0)
                GROUP BY wallet_id""", ids))
        return {wallet_id: (points_down(to_decimal(points or 0)), money_half_up(to_decimal(cash or 0)))
                for wallet_id, points, cash in self.env.cr.fetchall()}

    @api.ondelete(at_uninstall=False)
    def _unlink_except_movements(self):
        # Ledger rows and requests name wallets without a foreign key (LooseMany2one).
        referrer = loose_referrer(self)
        if referrer:
            raise UserError(_("Wallets with movements cannot be deleted (%(rows)s name them): block them instead.",
                              rows=self.env["ir.model"].sudo()._get(referrer).name))

    @api.depends("points", "pool_id.price")
    def _compute_value(self):
        for wallet in self:
            engine = wallet.pool_id._engine() if wallet.pool_id else None
            wallet.value = float(money_half_up(engine.value_of(to_decimal(wallet.points)))) if engine else 0.0

    @api.depends("cash_balance")
    def _compute_debt(self):
        for wallet in self:
            wallet.debt = float(cash_debt(to_decimal(wallet.cash_balance)))

    @api.depends("partner_id")
    def _compute_display_name(self):
        for wallet in self:
            wallet.display_name = wallet.partner_id.display_name or ""

    # -- public API ---------------------------------------------------------
    @api.model
    def _get_for_partner(self, partner, company=None, create=True):
        """The member's wallet in ``company`` (default: the current one), created on first use."""
        partner.ensure_one()
        company = company or self.env.company
        if partner.company_id and partner.company_id != company:
            raise UserError(_("%(partner)s belongs to %(company)s, not to %(pool)s.",
                              partner=partner.display_name, company=partner.company_id.name, pool=company.name))
        pool = self.env["points.pool"]._get_for_company(company)
        wallet = self.sudo().search([("partner_id", "=", partner.id), ("pool_id", "=", pool.id)], limit=1)
        if not wallet and create:
            wallet = self._create_for(partner, pool)
        return wallet.with_env(self.env)

    @api.model
    def _create_for(self, partner, pool):
        """Creates the member's wallet; two first purchases at once make the later one try again, never fail.

        A wallet another transaction created since this one's snapshot is invisible to it, so the
        unique key refuses the second one. Odoo retries only concurrency errors: asking PostgreSQL to
        insert the same wallet "or nothing" then raises the real serialization failure, and the
        call's retry finds the wallet.
        """
        try:
            with self.env.cr.savepoint():
                return self.sudo().create({"partner_id": partner.id, "pool_id": pool.id})
        except psycopg2.errors.UniqueViolation:
            self.env.cr.execute(SQL(
                """INSERT INTO points_wallet (partner_id, pool_id, state) VALUES (%s, %s, 'active')
                   ON CONFLICT (partner_id, pool_id) DO NOTHING""", partner.id, pool.id))
            raise

    def action_block(self):
        self.write({"state": "blocked"})

    def action_unblock(self):
        for wallet in self:
            wallet.state = "exited" if wallet.exit_count and not wallet.points else "active"

    def action_open_ledger(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_pool.points_ledger_action")
        action["domain"] = [("wallet_id", "=", self.id)]
        return action

    def action_sell_points(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("points_pool.points_sell_wizard_action")
        action["context"] = {"default_wallet_id": self.id}
        return action

    # -- reservations ------------------------------------------------------------
    def _lock_reservations(self):
        """Serializes this member's outgoing requests (sell, pay, transfer, withdraw) on the member's hold row.

        The sequencer never writes that row, so a reservation waits only for the same member's
        other requests; two of them at once are serialized and the second one, retried, sees
        the first one's reservation.
        """
        self.ensure_one()
        self.env.cr.execute(SQL(
            """INSERT INTO points_wallet_hold (wallet_id, version) VALUES (%s, 1)
               ON CONFLICT (wallet_id) DO UPDATE SET version = points_wallet_hold.version + 1""", self.id))
        return self

    def _available_points(self):
        """Points held less what the member's pending requests reserve (exact Decimal)."""
        self.ensure_one()
        return points_down(to_decimal(self.points)) - self._reserved_by_wallet().get(self.id, (0, 0))[0]

    def _available_cash_now(self):
        """Cash balance less what the member's pending requests reserve (exact Decimal); modules that
        reserve cash otherwise (withdrawal requests) subtract theirs."""
        self.ensure_one()
        digits = self.currency_id.decimal_places
        return money_half_up(to_decimal(self.cash_balance), digits) - self._reserved_by_wallet().get(
            self.id, (0, 0))[1]

    # -- checks a member reads before confirming ------------------------------------
    def _check_available_points(self, points, to_member=False):
        """Refuses ``points`` (exact Decimal) beyond what the wallet holds less what its pending requests reserve;
        an empty recordset (no wallet yet) holds none. ``to_member``: the member asks for their own wallet (portal,
        API) and reads "you"; staff and channels read the member's name. Changes nothing."""
        available = self._available_points() if self else Decimal(0)
        if available >= points:
            return
        if to_member:
            message = _("You have %(held)s points available, fewer than the %(asked)s asked.",
                        held=available, asked=points)
        else:
            message = _("%(partner)s has %(held)s points available, fewer than the %(asked)s asked.",
                        partner=self.partner_id.display_name, held=available, asked=points)
        raise refusal("insufficient_points", message)

    def _check_can_send(self):
        """A blocked wallet may not sell, withdraw nor send: the member reads so before confirming anything (an
        empty recordset, a member before their first points, passes: what they ask for is refused later)."""
        if self.filtered(lambda wallet: wallet.state == "blocked"):
            raise refusal("wallet_blocked", _(
                "Your points wallet is blocked: you cannot sell, withdraw or transfer. Please contact us."))

    # -- engine bridge ---------------------------------------------------------
    def _check_active(self):
        for wallet in self:
            if wallet.state == "blocked" or not wallet.partner_id.active:
                raise UserError(_("%s is not an active member.", wallet.partner_id.display_name))

    def _engine_cycle(self):
        self.ensure_one()
        digits = self.currency_id.decimal_places
        return Cycle(
            spend=money_half_up(to_decimal(self.cycle_spend), digits),
            realized=money_half_up(to_decimal(self.cycle_realized), digits),
            points=points_down(to_decimal(self.points)),
        )
