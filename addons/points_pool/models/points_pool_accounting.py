from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, LazyTranslate

_lt = LazyTranslate(__name__)

#: Journal entries of a real-time drain keep one pair of lines per event up to this many events.
MAX_DETAILED_ROWS = 100


def pool_account(name, account_type, start_code, reconcile=False, **kwargs):
    """An account field of the pool that :meth:`PointsPool._ensure_accounting` creates when it is empty.

    ``name`` (lazy: the account is named in every installed language), ``account_type``, the first free code
    from ``start_code``, ``reconcile``; every module declares the accounts it posts to this way.
    """
    return fields.Many2one("account.account", check_company=True, tracking=True,
                           points_account=(name, account_type, start_code, reconcile), **kwargs)


class PointsPool(models.Model):
    _inherit = "points.pool"

    pool_account_id = pool_account(_lt("Profit pool liability"), "liability_current", "219100")
    wallet_account_id = pool_account(_lt("Member wallets payable"), "liability_payable", "219200", reconcile=True)
    contribution_account_id = pool_account(_lt("Profit pool contributions"), "expense", "619100")
    injection_account_id = pool_account(
        _lt("Profit pool subsidies"), "expense", "619200", string="Default Injection Account",
        help="Counter-account of injections, proposed in the injection wizard.")

    def _valid_field_parameter(self, field, name):
        # The account a pool_account() field stands for.
        return name == "points_account" or super()._valid_field_parameter(field, name)

    # -- accounting -------------------------------------------------------------
    def _posts_immediately(self, row):
        """Whether the drain posts ``row`` at once; the rows it defers wait for an entry (``move_id`` empty).

        Redemptions and their refunds are reconciled with what they pay, so they never wait for a batch.
        Channels defer the events their own closing books (a POS session's).
        """
        return self.accounting_mode == "realtime" or row.event in ("redeem", "restore")

    def _post_entry(self, rows, detailed=None, ref=None):
        """Posts one balanced entry for ``rows`` (one event, a drain or a batch) and links every row to it.

        ``detailed``: one pair of lines per event (default: in real time, up to a hundred events).
        ``ref``: the entry's reference and the label of netted lines (default: named after the rows).
        """
        # Loading a chart of accounts after the pool was created may remove its journal or accounts.
        if not all(self[name] for name in ("journal_id", *(spec[0] for spec in self._get_account_specs()))):
            self._ensure_accounting()
        # Journal labels follow the company's language, whoever triggers the event.
        rows = rows.with_context(lang=self.company_id.partner_id.lang or "en_US")
        lines = [line for row in rows for line in self._prepare_move_lines(row)]
        # A real-time drain keeps one pair of lines per event; batches (and big drains) net them.
        if detailed is None:
            detailed = self.accounting_mode == "realtime" and len(rows) <= MAX_DETAILED_ROWS
        if len(rows) > 1 and not detailed:
            lines = self._merge_move_lines(lines, ref or _("Profit pool: %s events", len(rows)))
        if not lines:
            return self.env["account.move"]
        if not ref:
            ref = rows.display_name if len(rows) == 1 else _("Profit pool batch %(first)s–%(last)s",
                                                              first=rows[0].display_name, last=rows[-1].display_name)
        # The pool's own entries need no chatter (creation log, followers, state tracking): created and
        # posted under the pool lock, their bookkeeping would lengthen every drain.
        move = self.env["account.move"].sudo().with_context(tracking_disable=True).create(
            self._prepare_move_values(ref, lines))
        move._post(soft=False)
        self.env.cr.execute(SQL("UPDATE points_ledger SET move_id = %s WHERE id = ANY(%s)", move.id, rows.ids))
        rows.invalidate_recordset(["move_id"])
        return move

    @api.model
    def _merge_move_lines(self, lines, label):
        """One line per account and partner, netted: a batch entry stays short."""
        totals = {}
        for line in lines:
            key = (line["account_id"], line["partner_id"])
            totals[key] = totals.get(key, 0.0) + line.get("debit", 0.0) - line.get("credit", 0.0)
        digits = self.currency_id.decimal_places
        return [
            {"name": label, "account_id": account, "partner_id": partner,
             "debit": round(net, digits) if net > 0 else 0.0, "credit": round(-net, digits) if net < 0 else 0.0}
            for (account, partner), net in totals.items() if round(net, digits)
        ]

    def action_post_pending_entries(self):
        """Posts one entry for the events waiting in batch mode (also run by a scheduled action).

        Takes the waiting rows, not the pool: the sequencer goes on while the entry is posted.
        """
        self._check_points_access("manager")
        for pool in self.sudo():
            self.env.flush_all()
            self.env.cr.execute(SQL(
                """SELECT id FROM points_ledger WHERE pool_id = %s AND move_id IS NULL
                    ORDER BY id FOR UPDATE SKIP LOCKED""", pool.id))
            rows = self.env["points.ledger"].sudo().browse([row_id for (row_id,) in self.env.cr.fetchall()])
            if rows:
                pool._post_entry(rows)
        return True

    def _post_due_rows(self, rows, ref=None):
        """Posts one entry for those of ``rows`` that no longer wait (:meth:`_posts_immediately`) and have none yet.

        Locks them first, skipping rows another transaction is posting, as the batch does.
        """
        self.ensure_one()
        rows = rows.filtered(self._posts_immediately)
        if not rows:
            return self.env["account.move"]
        self.env.flush_all()
        self.env.cr.execute(SQL(
            "SELECT id FROM points_ledger WHERE id = ANY(%s) AND move_id IS NULL ORDER BY id FOR UPDATE SKIP LOCKED",
            rows.ids))
        rows = rows.browse([row_id for (row_id,) in self.env.cr.fetchall()])
        return self._post_entry(rows, ref=ref) if rows else self.env["account.move"]

    @api.model
    def _cron_post_pending_entries(self):
        """Posts the events batch pools keep waiting, and those real-time pools deferred that no longer wait
        (a POS session closed without booking its orders' events)."""
        pools = self.sudo().search([])
        pools.filtered(lambda pool: pool.accounting_mode == "batch").action_post_pending_entries()
        Ledger = self.env["points.ledger"].sudo()
        for pool in pools.filtered(lambda pool: pool.accounting_mode == "realtime"):
            pool._post_due_rows(Ledger.search(
                [("pool_id", "=", pool.id), ("move_id", "=", False), ("amount", "!=", 0)]))

    def _prepare_move_values(self, ref, lines):
        return {
            "move_type": "entry",
            "journal_id": self.journal_id.id,
            "company_id": self.company_id.id,
            "date": fields.Date.context_today(self),
            "ref": ref,
            "line_ids": [Command.create(line) for line in lines],
        }

    def _prepare_move_lines(self, row):
        """Balanced journal lines of one ledger row; hook for modules that post elsewhere."""
        partner = row.partner_id.id or False
        amount = row.amount

        def pair(debit_account, credit_account, value, debit_partner=partner, credit_partner=partner):
            return self._move_pair(row, debit_account, credit_account, value, debit_partner, credit_partner)

        if row.event == "contribute":
            return pair(self.contribution_account_id, self.pool_account_id, amount)
        if row.event in ("sell", "exit"):
            return pair(self.pool_account_id, self.wallet_account_id, amount)
        if row.event == "redeem":
            return pair(self.pool_account_id, self._get_redeem_account(row), amount)
        if row.event == "restore":
            return pair(self._get_redeem_account(row), self.pool_account_id, amount)
        if row.event == "inject":
            return pair(row.counter_account_id, self.pool_account_id, amount)
        if row.event == "reverse":
            return (pair(self.pool_account_id, self.contribution_account_id, amount)
                    + pair(self.wallet_account_id, self.contribution_account_id, row.debt))
        return []

    @api.model
    def _move_pair(self, row, debit_account, credit_account, amount, debit_partner=False, credit_partner=False):
        """A debit and a credit line of ``amount`` named after ``row`` (none for nothing), for the modules'
        :meth:`_prepare_move_lines`."""
        if not amount:
            return []
        return [
            {"name": row.display_name, "account_id": debit_account.id, "partner_id": debit_partner, "debit": amount},
            {"name": row.display_name, "account_id": credit_account.id, "partner_id": credit_partner,
             "credit": amount},
        ]

    def _get_redeem_account(self, row):
        """Account credited when points pay for goods: the member's receivable by default."""
        account = row.partner_id.with_company(self.company_id).property_account_receivable_id
        if not account:
            raise UserError(_("%s has no receivable account in this company.", row.partner_id.display_name))
        return account

    def _get_account_specs(self):
        """Accounts the pool posts to: ``(pool field, name, type, starting code, reconcile)``.

        One per :func:`pool_account` field, the pool's and those of the capability modules (reward, rebate,
        withdrawal accounts); :meth:`_ensure_accounting` creates whichever is missing, named in every
        installed language.
        """
        return [(name, *field.points_account) for name, field in self._fields.items()
                if getattr(field, "points_account", None)]

    def _ensure_accounting(self):
        """Creates the Profit Pool journal and the accounts of :meth:`_get_account_specs` when missing."""
        for pool in self.sudo():
            company = pool.company_id
            vals = {field_name: pool._create_pool_account(name, account_type, start_code, reconcile).id
                    for field_name, name, account_type, start_code, reconcile in pool._get_account_specs()
                    if not pool[field_name]}
            if not pool.journal_id:
                Journal = self.env["account.journal"].sudo().with_company(company)
                code, suffix = "POOL", 1
                while Journal.search_count([("code", "=", code), ("company_id", "=", company.id)]):
                    code, suffix = f"POOL{suffix}", suffix + 1
                vals["journal_id"] = Journal.create({
                    "name": _("Profit Pool"), "code": code, "type": "general", "company_id": company.id,
                }).id
            if vals:
                pool.write(vals)

    def _create_pool_account(self, name, account_type, start_code, reconcile=False):
        """One account of the pool's company, with the first free code from ``start_code``."""
        self.ensure_one()
        Account = self.env["account.account"].sudo().with_company(self.company_id)
        account = Account.with_context(lang="en_US").create({
            "name": name._translate("en_US"), "account_type": account_type, "reconcile": reconcile,
            "code": Account._search_new_account_code(start_code, cache=set()),
            "non_trade": account_type == "liability_payable",
            "company_ids": [Command.set(self.company_id.ids)],
        })
        languages = [lang for lang, _label in self.env["res.lang"].get_installed() if lang != "en_US"]
        if languages:
            account.update_field_translations("name", {lang: name._translate(lang) for lang in languages})
        return account
