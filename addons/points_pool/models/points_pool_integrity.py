from odoo import _, models
from odoo.tools import SQL


class IntegrityChecks:
    """What the integrity checks of a pool found: each module's ``_integrity_checks`` calls :meth:`check`."""

    def __init__(self, digits):
        self.digits = digits
        self.breaches = []

    def check(self, label, expected, actual, partner=None, precision=None):
        """A breach when ``expected`` and ``actual`` differ at ``precision`` decimals (the currency's by default).

        ``partner``: the member concerned, a record or an id.
        """
        precision = self.digits if precision is None else precision
        expected, actual = round(expected, precision), round(actual, precision)
        if expected != actual:
            partner_id = partner.id if isinstance(partner, models.BaseModel) else partner
            self.breaches.append({"name": label, "expected": expected, "actual": actual,
                                  "partner_id": partner_id or False})


class PointsPool(models.Model):
    _inherit = "points.pool"

    # -- integrity (SPEC §3.3) -----------------------------------------------------
    def _integrity_breaches(self):
        """Every breach of SPEC §3.3 for this pool, as dicts for the integrity report."""
        self.ensure_one()
        checks = IntegrityChecks(self.currency_id.decimal_places)
        self.sudo()._integrity_checks(checks)
        return checks.breaches

    def _integrity_checks(self, checks):
        """Runs this pool's checks into ``checks`` (:class:`IntegrityChecks`); a module keeping a balance
        extends it with its own (``super()`` first, so that the report lists the core checks first)."""
        pool = self.sudo()
        check = checks.check
        Ledger, Wallet = self.env["points.ledger"].sudo(), self.env["points.wallet"].sudo()
        ledger_totals = Ledger._read_group([("pool_id", "=", pool.id)], [], ["points_delta:sum", "balance_delta:sum"])[0]
        wallet_points = Wallet._read_group([("pool_id", "=", pool.id)], [], ["points:sum"])[0][0] or 0.0
        check(_("Σ wallet points = circulating points"), pool.circulating_points, wallet_points, precision=4)
        check(_("Σ ledger points = circulating points"), pool.circulating_points, ledger_totals[0] or 0.0, precision=4)
        check(_("Σ ledger pool movements = pool balance"), pool.balance, ledger_totals[1] or 0.0)
        # Events waiting for a batch entry are in the ledger but not yet in the general ledger.
        pending = Ledger._read_group([("pool_id", "=", pool.id), ("move_id", "=", False)],
                                     ["partner_id"], ["balance_delta:sum", "cash_delta:sum"])
        pending_balance = sum(balance for _partner, balance, _cash in pending)
        pending_cash = {partner.id: cash for partner, _balance, cash in pending}
        check(_("General ledger pool liability = pool balance"), pool.balance - pending_balance,
              -pool._account_balance(pool.pool_account_id))

        gl_cash = pool._account_balance_by_partner(pool.wallet_account_id)
        ledger_cash = dict(Ledger._read_group([("pool_id", "=", pool.id), ("wallet_id", "!=", False)],
                                              ["wallet_id"], ["cash_delta:sum"]))
        for wallet in Wallet.search([("pool_id", "=", pool.id)]):
            check(_("General ledger wallet payable = cash balance"),
                  wallet.cash_balance - pending_cash.get(wallet.partner_id.id, 0.0),
                  -gl_cash.get(wallet.partner_id.id, 0.0), partner=wallet.partner_id)
            check(_("Σ ledger cash movements = cash balance"), wallet.cash_balance,
                  ledger_cash.get(wallet, 0.0), partner=wallet.partner_id)
            if wallet.points < 0:
                check(_("Wallet points are not negative"), 0.0, wallet.points, partner=wallet.partner_id, precision=4)
            if wallet.cash_balance < 0 and not wallet.debt:
                check(_("Cash is negative only for a refund debt"), 0.0, wallet.cash_balance, partner=wallet.partner_id)
        for field_name in ("balance", "circulating_points"):
            if pool[field_name] < 0:
                check(_("Pool figures are not negative"), 0.0, pool[field_name])

        falling = Ledger.search([("pool_id", "=", pool.id)], order="id").filtered(
            lambda row: row.price_after + 1e-9 < row.price_before)
        for row in falling:
            check(_("The price never decreases (%s)", row.display_name), row.price_before, row.price_after,
                  partner=row.partner_id, precision=6)
        self.env.cr.execute(SQL(
            """SELECT key FROM points_ledger WHERE pool_id = %s AND key IS NOT NULL
               GROUP BY key HAVING count(*) > 1""", pool.id))
        for (key,) in self.env.cr.fetchall():
            check(_("One ledger row per source (%s)", key), 1, 2)
        unposted = Ledger.search([("pool_id", "=", pool.id), ("move_id", "=", False), ("amount", "!=", 0)])
        check(_("Ledger rows with money have a journal entry"), 0,
              len(unposted.filtered(lambda row: pool._posts_immediately(row))))

    def _reconciliation_sections(self):
        """Each balance the pool keeps against the ledger and its general-ledger account (reconciliation report).

        A list of dicts: ``name``, ``kind`` (``money`` or ``points``), ``reference_name`` and
        ``reference`` (the balance as the pool keeps it), ``figures`` (``(label, value)`` pairs that
        must equal it). Modules keeping other balances (frozen rewards, dividend pools, the rebate
        pool…) add a section each. A general-ledger figure counts the rows still waiting for their
        batch entry, so that it equals the balance whatever the accounting mode.
        """
        self.ensure_one()
        pool = self.sudo()
        Ledger, Wallet = self.env["points.ledger"].sudo(), self.env["points.wallet"].sudo()
        domain = [("pool_id", "=", pool.id)]
        ledger_points, ledger_balance, ledger_cash = Ledger._read_group(
            domain, [], ["points_delta:sum", "balance_delta:sum", "cash_delta:sum"])[0]
        pending_balance, pending_cash = Ledger._read_group(
            domain + [("move_id", "=", False)], [], ["balance_delta:sum", "cash_delta:sum"])[0]
        wallet_points, wallet_cash = Wallet._read_group(domain, [], ["points:sum", "cash_balance:sum"])[0]
        return [
            {"key": "pool", "name": _("Pool balance"), "kind": "money",
             "reference_name": _("Profit pool balance"), "reference": pool.balance, "figures": [
                 (_("Ledger: sum of pool movements"), ledger_balance),
                 (_("General ledger: %s", pool.pool_account_id.display_name),
                  -pool._account_balance(pool.pool_account_id) + (pending_balance or 0.0)),
             ]},
            {"key": "points", "name": _("Circulating points"), "kind": "points",
             "reference_name": _("Profit pool circulating points"), "reference": pool.circulating_points,
             "figures": [
                 (_("Ledger: sum of points movements"), ledger_points),
                 (_("Member wallets: sum of points held"), wallet_points),
             ]},
            {"key": "wallets", "name": _("Member cash balances"), "kind": "money",
             "reference_name": _("Member wallets: sum of cash balances"), "reference": wallet_cash, "figures": [
                 (_("Ledger: sum of cash movements"), ledger_cash),
                 (_("General ledger: %s", pool.wallet_account_id.display_name),
                  -pool._account_balance(pool.wallet_account_id) + (pending_cash or 0.0)),
             ]},
        ]

    def _account_balance(self, account):
        return self._account_balance_by_partner(account, by_partner=False)

    def _account_balance_by_partner(self, account, by_partner=True):
        domain = [("account_id", "=", account.id), ("company_id", "=", self.company_id.id),
                  ("parent_state", "=", "posted")]
        Line = self.env["account.move.line"].sudo()
        if not by_partner:
            return Line._read_group(domain, [], ["balance:sum"])[0][0] or 0.0
        return {partner.id: total for partner, total in Line._read_group(domain, ["partner_id"], ["balance:sum"])}
