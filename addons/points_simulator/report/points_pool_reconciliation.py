from odoo import _, api, fields, models


class ReportPoolReconciliation(models.AbstractModel):
    """Pool reconciliation (screen and PDF): each figure of the pool against the ledger and the general ledger.

    The figures are those SPEC §3.3 requires to agree; the differences listed
    are ``points.pool._integrity_breaches()``. The template only renders.
    """

    _name = "report.points_simulator.report_pool_reconciliation"
    _description = "Profit Pool Reconciliation Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        pools = self.env["points.pool"].browse(docids)
        # Reading the pools enforces the multi-company rules; the figures are then read as superuser
        # (Points Users need not be accountants).
        pools.check_access("read")
        return {
            "doc_ids": pools.ids,
            "doc_model": "points.pool",
            "docs": pools,
            "reconciliations": {pool.id: self._reconcile(pool) for pool in pools},
        }

    @api.model
    def _reconcile(self, pool):
        pool = pool.sudo()
        digits = pool.currency_id.decimal_places
        ledger_points, ledger_balance, ledger_cash = self.env["points.ledger"].sudo()._read_group(
            [("pool_id", "=", pool.id)], [], ["points_delta:sum", "balance_delta:sum", "cash_delta:sum"])[0]
        wallet_count, wallet_points, wallet_cash = self.env["points.wallet"].sudo()._read_group(
            [("pool_id", "=", pool.id)], [], ["__count", "points:sum", "cash_balance:sum"])[0]
        sections = [
            self._section(_("Pool balance"), "money", digits, pool.balance, [
                (_("Ledger: sum of pool movements"), ledger_balance),
                (_("General ledger: %s", pool.pool_account_id.display_name),
                 -pool._account_balance(pool.pool_account_id)),
            ], reference_name=_("Profit pool balance")),
            self._section(_("Circulating points"), "points", 4, pool.circulating_points, [
                (_("Ledger: sum of points movements"), ledger_points),
                (_("Member wallets: sum of points held"), wallet_points),
            ], reference_name=_("Profit pool circulating points")),
            self._section(_("Member cash balances"), "money", digits, wallet_cash, [
                (_("Ledger: sum of cash movements"), ledger_cash),
                (_("General ledger: %s", pool.wallet_account_id.display_name),
                 -pool._account_balance(pool.wallet_account_id)),
            ], reference_name=_("Member wallets: sum of cash balances")),
        ]
        partners = self.env["res.partner"].sudo()
        differences = []
        for breach in pool._integrity_breaches():
            differences.append(dict(
                breach, partner=partners.browse(breach["partner_id"]),
                difference=round(breach["actual"] - breach["expected"], 6)))
        return {
            "pool": pool,
            "sections": sections,
            "differences": differences,
            "wallet_count": wallet_count,
            "reconciled": not differences and not any(line["difference"] for s in sections for line in s["lines"]),
            "checked_at": fields.Datetime.now(),
        }

    @api.model
    def _section(self, name, kind, digits, reference, figures, reference_name):
        """A reference figure and the figures that must equal it, each with its difference."""
        reference = round(reference or 0.0, digits)
        lines = [{"name": reference_name, "value": reference, "difference": 0.0, "reference": True}]
        for label, value in figures:
            value = round(value or 0.0, digits)
            lines.append({"name": label, "value": value, "difference": round(value - reference, digits),
                          "reference": False})
        return {"name": name, "kind": kind, "lines": lines}
