from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models

#: Sections the statement shows in rows of their own (with their specific figures); every other section
#: declared by the modules through ``points.ledger._statement_sections()`` is a row of its own below them.
CORE_SECTIONS = {"earned", "sold", "redeemed", "reversed"}


class ReportMemberStatement(models.AbstractModel):
    """Member statement (PDF) for a period: points, price, cash movements and rewards of each wallet.

    ``data`` carries ``date_from`` and ``date_to`` (ISO dates, both included, in
    the user's time zone); without them the statement covers the current month.
    """

    _name = "report.points_report.report_member_statement"
    _description = "Member Points Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        wallets = self.env["points.wallet"].browse(docids)
        wallets.check_access("read")
        today = fields.Date.context_today(self)
        date_from = fields.Date.to_date(data.get("date_from")) or today.replace(day=1)
        date_to = fields.Date.to_date(data.get("date_to")) or today
        return {
            "doc_ids": wallets.ids,
            "doc_model": "points.wallet",
            "docs": wallets,
            "date_from": date_from,
            "date_to": date_to,
            "statements": {wallet.id: self._statement(wallet, date_from, date_to) for wallet in wallets},
        }

    @api.model
    def _statement(self, wallet, date_from, date_to):
        """Opening and closing balances, every movement of the period with running balances, and totals."""
        start, end = self._utc_bounds(date_from, date_to)
        Ledger = self.env["points.ledger"].sudo()
        wallet_domain = [("wallet_id", "=", wallet.id)]
        opening_points, opening_cash = Ledger._read_group(
            wallet_domain + [("date", "<", start)], [], ["points_delta:sum", "cash_delta:sum"])[0]
        rows = Ledger.search(wallet_domain + [("date", ">=", start), ("date", "<", end)], order="date, id")
        labels = dict(Ledger._fields["event"]._description_selection(self.env))
        event_sections = Ledger._statement_event_sections()
        value_fields = Ledger._statement_value_fields()
        section_totals = {key: {"key": key, "name": name, "count": 0, "points": 0.0, "amount": 0.0}
                          for key, name in Ledger._statement_sections()}
        points, cash = opening_points or 0.0, opening_cash or 0.0
        lines = []
        for row in rows:
            points += row.points_delta
            cash += row.cash_delta
            section = section_totals[event_sections.get(row.event, "other")]
            section["count"] += 1
            section["points"] += row.points_delta
            section["amount"] += sum(row[name] for name in value_fields)
            lines.append({
                "date": row.date, "row": row, "section": section["key"],
                "event": labels.get(row.event, row.event), "document": self._document_label(row),
                "points_delta": row.points_delta, "price": row.price_before, "price_before": row.price_before,
                "price_after": row.price_after, "amount": row.amount,
                "cash_delta": row.cash_delta, "points": points, "cash": cash,
            })

        def total(field_name, events, sign=1):
            return sign * sum(row[field_name] for row in rows if row.event in events)

        opening_price, closing_price = self._price_at(wallet.pool_id, start), self._price_at(wallet.pool_id, end)
        currency = wallet.currency_id
        rewards = section_totals.get("rewards", {"amount": 0.0, "count": 0})
        return {
            "wallet": wallet,
            "opening_points": opening_points or 0.0,
            "opening_cash": opening_cash or 0.0,
            "opening_price": opening_price,
            "opening_value": currency.round((opening_points or 0.0) * opening_price),
            "closing_points": points,
            "closing_cash": cash,
            "closing_price": closing_price,
            "closing_value": currency.round(points * closing_price),
            "lines": lines,
            "spend": total("spend", {"contribute"}),
            "contributed": total("amount", {"contribute"}),
            "points_earned": total("points_delta", {"contribute"}),
            "points_sold": total("points_delta", {"sell", "exit"}, sign=-1),
            "payouts": total("cash_delta", {"sell", "exit"}),
            "exits": len(rows.filtered(lambda row: row.event == "exit")),
            # Net of refunds of goods paid with points, which gave the points back.
            "points_redeemed": total("points_delta", {"redeem", "restore"}, sign=-1),
            "redeemed_value": total("amount", {"redeem"}) - total("amount", {"restore"}),
            "points_reversed": total("points_delta", {"reverse"}, sign=-1),
            "debts": total("debt", {"reverse"}),
            "rewards": currency.round(rewards["amount"]),
            "reward_count": rewards["count"],
            # Every other section the installed modules declare (rewards, rebates, withdrawals, transfers…),
            # in their order, when the period has movements of it.
            "sections": [dict(section, amount=currency.round(section["amount"]))
                         for section in section_totals.values()
                         if section["key"] not in CORE_SECTIONS and section["count"]],
        }

    @api.model
    def _price_at(self, pool, moment):
        """The pool's price just before ``moment``: the price after its last earlier event, else the initial price."""
        last = self.env["points.ledger"].sudo().search(
            [("pool_id", "=", pool.id), ("date", "<", moment)], order="date desc, id desc", limit=1)
        return last.price_after if last else pool.sudo().initial_price

    @api.model
    def _utc_bounds(self, date_from, date_to):
        """UTC datetimes of the start of ``date_from`` and of the day after ``date_to`` in the user's time zone."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")

        def utc(day):
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        return utc(date_from), utc(date_to + timedelta(days=1))

    @api.model
    def _document_label(self, row):
        """The source document a person knows (POS order, invoice, withdrawal…), and the row's memo if it adds one."""
        names = [row.source_display, row.memo]
        return " — ".join(dict.fromkeys(name for name in names if name))

