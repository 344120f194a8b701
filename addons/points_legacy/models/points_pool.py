from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, LazyTranslate, format_amount

from odoo.addons.points_engine.legacy import DEFAULT_RATE, DEFAULT_THRESHOLD, ReleaseParams, release_due
from odoo.addons.points_engine.rounding import money_half_up, to_decimal
from odoo.addons.points_pool.keys import idempotency_key
from odoo.addons.points_pool.models.points_pool_accounting import pool_account

from .points_ledger import LEGACY_EVENTS

_lt = LazyTranslate(__name__)


class PointsPool(models.Model):
    _inherit = "points.pool"

    legacy_balance = fields.Monetary(
        "Legacy Consumption Balances", compute="_compute_balances",
        help="What legacy members can still spend on products: imported payables less what they spent, plus refunds.")
    legacy_release_threshold = fields.Monetary(
        "Legacy Release Batch", default=float(DEFAULT_THRESHOLD), tracking=True,
        help="Consumption balance a legacy member spends per batch of released points (0: every spend releases "
             "at once).")
    legacy_release_rate = fields.Float(
        "Legacy Release Share", digits=(5, 4), default=float(DEFAULT_RATE), tracking=True,
        help="Share of each batch's spend contributed to the profit pool as the member's released points.")
    legacy_account_id = pool_account(_lt("Legacy member payables"), "liability_current", "219800",
                                     string="Legacy Payables Account")
    legacy_counter_account_id = fields.Many2one(
        "account.account", check_company=True, tracking=True, string="Default Legacy Counter-Account",
        help="Account debited when legacy payables are imported (proposed in the import wizard), such as the "
             "former platform's liabilities taken over.")

    @api.model
    def _balance_columns(self):
        return super()._balance_columns() + ["legacy_balance"]

    @api.constrains("legacy_release_threshold", "legacy_release_rate")
    def _check_legacy_parameters(self):
        for pool in self:
            if pool.legacy_release_threshold < 0:
                raise ValidationError(_("The legacy release batch cannot be negative (0: every spend releases)."))
            if not 0 < pool.legacy_release_rate <= 1:
                raise ValidationError(_("The legacy release share must be above 0 and at most 1 (100%)."))

    def _earning_share(self, paid_with_points, total):
        # What the legacy consumption balance paid earns through batch releases, not at checkout.
        share = super()._earning_share(paid_with_points, total)
        legacy, total = to_decimal(self.env.context.get("points_legacy_paid") or 0), to_decimal(total or 0)
        if legacy <= 0 or total <= 0:
            return share
        return max(Decimal(0), share - min(legacy, total) / total)

    # -- balances --------------------------------------------------------------------------
    def _legacy_figures(self, wallets, pending="debits"):
        """``{wallet id: (balance, spent)}``: the consumption balance (Σ ledger movements) and the balance spent
        net of refunds; with the members' pending requests (``pending="debits"``: only what they take out, so
        that nothing is spent twice; ``"all"``: every pending movement)."""
        self.ensure_one()
        self.env.flush_all()
        figures = {wallet_id: [Decimal(0), Decimal(0)] for wallet_id in wallets.ids}
        if not wallets:
            return {}
        cr = self.env.cr
        cr.execute(SQL(
            """SELECT wallet_id, COALESCE(sum(legacy_delta), 0),
                      COALESCE(sum(CASE event WHEN 'legacy_spend' THEN amount WHEN 'legacy_refund' THEN -amount
                                   ELSE 0 END), 0)
                 FROM points_ledger
                WHERE pool_id = %s AND wallet_id = ANY(%s) AND event = ANY(%s) GROUP BY wallet_id""",
            self.id, wallets.ids, list(LEGACY_EVENTS)))
        rows = cr.fetchall()
        cr.execute(SQL(
            """SELECT (entry->>'wallet_id')::int, COALESCE(sum((entry->'ledger'->>'legacy_delta')::numeric), 0),
                      COALESCE(sum(CASE entry->>'event' WHEN 'legacy_spend' THEN (entry->>'amount')::numeric
                                   WHEN 'legacy_refund' THEN -(entry->>'amount')::numeric ELSE 0 END), 0)
                 FROM points_pool_request request, jsonb_array_elements(request.payload->'entries') entry
                WHERE request.pool_id = %s AND request.state = 'pending' AND request.kind = 'movements'
                  AND request.wallet_id = ANY(%s) AND entry->>'event' = ANY(%s)
                  AND (%s OR (entry->'ledger'->>'legacy_delta')::numeric < 0)
                GROUP BY 1""",
            self.id, wallets.ids, list(LEGACY_EVENTS), pending == "all"))
        for wallet_id, balance, spent in rows + cr.fetchall():
            if wallet_id in figures:
                figures[wallet_id][0] += to_decimal(balance)
                figures[wallet_id][1] += to_decimal(spent)
        digits = self.currency_id.decimal_places
        return {wallet_id: (money_half_up(balance, digits), money_half_up(spent, digits))
                for wallet_id, (balance, spent) in figures.items()}

    def _legacy_release_params(self):
        self.ensure_one()
        return ReleaseParams(threshold=to_decimal(self.legacy_release_threshold),
                             rate=to_decimal(self.legacy_release_rate), mint_ratio=to_decimal(self.mint_ratio),
                             money_digits=self.currency_id.decimal_places)

    # -- movements (handed to the pool's sequencer) ------------------------------------------
    def _legacy_import(self, members, counter_account, key):
        """One request crediting each of ``members`` their payable as consumption balance; returns it.

        Dr ``counter_account`` / Cr the legacy payables account, per member.
        """
        self.ensure_one()
        pool = self.sudo()
        if not pool.legacy_account_id:
            pool._ensure_accounting()
        entries = [{
            "event": "legacy_import", "amount": member.payable, "wallet": member.wallet_id,
            "partner": member.partner_id, "source": member, "key": idempotency_key("legacy_import", member.id),
            "counter_account": counter_account,
            "ledger": {"legacy_delta": member.payable, "legacy_member_id": member.id},
        } for member in members]
        total = sum((to_decimal(member.payable) for member in members), Decimal(0))
        return pool._submit_movements(entries, pool_deltas={"legacy_balance": total}, key=key)

    def _legacy_spend(self, member, amount, source, key):
        """The member's consumption balance pays ``amount`` of ``source`` (a POS payment, an invoice); returns the
        request. Refuses (UserError, nothing recorded) more than the balance the member has not spent yet.

        Then releases the batches of points the spending has earned (:meth:`_legacy_release`).
        """
        self.ensure_one()
        pool = self.sudo()
        digits = pool.currency_id.decimal_places
        amount = money_half_up(to_decimal(amount), digits)
        if amount <= 0:
            raise UserError(_("The amount paid with the consumption balance must be positive, not %s.", amount))
        member._check_usable(pool.company_id)
        existing = pool.env["points.pool.request"].search([("pool_id", "=", pool.id), ("key", "=", key)], limit=1)
        if existing:
            return existing
        wallet = member.wallet_id._lock_reservations()
        balance = pool._legacy_figures(wallet)[wallet.id][0]
        if amount > balance:
            raise UserError(_(
                "%(partner)s has a consumption balance of %(balance)s: not enough to pay %(amount)s.",
                partner=member.partner_id.display_name,
                balance=format_amount(self.env, float(balance), pool.currency_id),
                amount=format_amount(self.env, float(amount), pool.currency_id)))
        request = pool._submit_movements([{
            "event": "legacy_spend", "amount": amount, "wallet": wallet, "source": source, "key": key,
            "ledger": {"legacy_delta": -amount, "legacy_member_id": member.id},
        }], pool_deltas={"legacy_balance": -amount}, key=key, wallet=wallet)
        pool._legacy_release(member)
        return request

    def _legacy_refund(self, member, amount, source, key):
        """A refund of goods paid with the consumption balance gives ``amount`` back to it; returns the request."""
        self.ensure_one()
        pool = self.sudo()
        amount = money_half_up(to_decimal(amount), pool.currency_id.decimal_places)
        if amount <= 0:
            raise UserError(_("The amount given back to the consumption balance must be positive, not %s.", amount))
        existing = pool.env["points.pool.request"].search([("pool_id", "=", pool.id), ("key", "=", key)], limit=1)
        if existing:
            return existing
        return pool._submit_movements([{
            "event": "legacy_refund", "amount": amount, "wallet": member.wallet_id, "source": source, "key": key,
            "ledger": {"legacy_delta": amount, "legacy_member_id": member.id},
        }], pool_deltas={"legacy_balance": amount}, key=key, wallet=member.wallet_id)

    def _legacy_release(self, member):
        """Releases the batches of points ``member``'s spending has earned (``points_engine.legacy.release_due``):
        a contribution to the pool minting points for the member; returns the release (or an empty recordset).

        Runs under the member's reservation lock (taken by the spend): two spends of the member at once
        are serialized, the second one sees the first one's release.
        """
        self.ensure_one()
        pool = self.sudo()
        wallet = member.wallet_id
        _balance, spent = pool._legacy_figures(wallet, pending="all")[wallet.id]
        Release = self.env["points.legacy.release"].sudo()
        released_spend = to_decimal(sum(Release.search([("member_id", "=", member.id)]).mapped("spend")))
        due = release_due(pool._legacy_release_params(), payable=to_decimal(member.payable), spent=spent,
                          released_spend=released_spend, released_points=to_decimal(member._released_points()),
                          price=to_decimal(pool.price))
        if not due.batches or due.contribution <= 0:
            return Release
        release = Release.create({
            "member_id": member.id, "batches": due.batches, "spend": float(due.spend),
            "contribution": float(due.contribution), "released_spend": float(released_spend + due.spend),
        })
        release.request_id = pool.contribute(member.partner_id, float(due.spend), float(due.contribution),
                                             source=release)
        return release

    # -- accounting ------------------------------------------------------------------------
    def _posts_immediately(self, row):
        # What the balance pays is reconciled with invoices: never waits for a batch entry.
        return super()._posts_immediately(row) or row.event in ("legacy_spend", "legacy_refund")

    def _prepare_move_lines(self, row):
        if row.event not in LEGACY_EVENTS:
            return super()._prepare_move_lines(row)
        amount, label = row.amount, row.display_name
        if not amount:
            return []
        # The legacy payables account holds the total (each member's share is in the ledger and the report):
        # an import of ten thousand members posts two lines, not ten thousand. The receivable names the member.
        legacy = {"name": label, "account_id": self.legacy_account_id.id, "partner_id": False}
        if row.event == "legacy_import":
            other = {"name": label, "account_id": row.counter_account_id.id, "partner_id": False}
            return [dict(other, debit=amount), dict(legacy, credit=amount)]
        receivable = {"name": label, "account_id": self._get_redeem_account(row).id,
                      "partner_id": row.partner_id.id or False}
        if row.event == "legacy_spend":
            return [dict(legacy, debit=amount), dict(receivable, credit=amount)]
        return [dict(receivable, debit=amount), dict(legacy, credit=amount)]

    def _reconciliation_sections(self):
        """Adds the legacy consumption balances: the pool's total, the ledger and the legacy payables account."""
        sections = super()._reconciliation_sections()
        pool = self.sudo()
        Ledger = self.env["points.ledger"].sudo()
        domain = [("pool_id", "=", pool.id)]
        figures = [(_("Ledger: sum of consumption balance movements"),
                    Ledger._read_group(domain, [], ["legacy_delta:sum"])[0][0] or 0.0)]
        if pool.legacy_account_id:
            pending = Ledger._read_group(domain + [("move_id", "=", False)], [], ["legacy_delta:sum"])[0][0] or 0.0
            figures.append((_("General ledger: %s", pool.legacy_account_id.display_name),
                            -pool._account_balance(pool.legacy_account_id) + pending))
        return sections + [{
            "key": "legacy", "name": _("Legacy consumption balances"), "kind": "money",
            "reference_name": _("Legacy members: sum of consumption balances"), "reference": pool.legacy_balance,
            "figures": figures,
        }]

    def _integrity_checks(self, checks):
        """Adds: the pool's legacy balance = Σ ledger = the legacy payables account; no member's balance below 0."""
        super()._integrity_checks(checks)
        pool = self.sudo()
        digits = pool.currency_id.decimal_places
        check = checks.check
        for section in pool._reconciliation_sections():
            if section["key"] == "legacy":
                for label, value in section["figures"]:
                    check(label, section["reference"], value)
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """SELECT partner_id, sum(legacy_delta) FROM points_ledger
                WHERE pool_id = %s AND legacy_member_id IS NOT NULL
                GROUP BY partner_id HAVING round(sum(legacy_delta)::numeric, %s) < 0""", pool.id, digits))
        for partner_id, balance in self.env.cr.fetchall():
            check(_("A consumption balance is not negative"), 0.0, float(balance), partner_id)

    def _dashboard_cards(self):
        cards = super()._dashboard_cards()
        if not self.env["points.legacy.member"].sudo().search_count([("pool_id", "=", self.id)], limit=1):
            return cards
        return cards + [{"key": "legacy_balance", "label": _("Legacy Consumption Balances"),
                         "value": self.legacy_balance, "kind": "money", "sequence": 70,
                         "action": "points_legacy.points_legacy_report_action"}]
