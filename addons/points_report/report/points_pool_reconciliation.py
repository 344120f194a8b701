from odoo import api, fields, models


class ReportPoolReconciliation(models.AbstractModel):
    """Pool reconciliation (screen and PDF): each figure of the pool against the ledger and the general ledger.

    The figures are those SPEC §3.3 requires to agree; the differences listed
    are ``points.pool._integrity_breaches()``. The template only renders.
    """

    _name = "report.points_report.report_pool_reconciliation"
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
        wallet_count = self.env["points.wallet"].sudo().search_count([("pool_id", "=", pool.id)])
        # Every balance the installed modules keep, each against the ledger and its general-ledger account.
        sections = [
            self._section(section["name"], section["kind"], digits if section["kind"] == "money" else 4,
                          section["reference"], section["figures"], reference_name=section["reference_name"],
                          key=section.get("key"))
            for section in pool._reconciliation_sections()
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
    def _section(self, name, kind, digits, reference, figures, reference_name, key=None):
        """A reference figure and the figures that must equal it, each with its difference."""
        reference = round(reference or 0.0, digits)
        lines = [{"name": reference_name, "value": reference, "difference": 0.0, "reference": True}]
        for label, value in figures:
            value = round(value or 0.0, digits)
            lines.append({"name": label, "value": value, "difference": round(value - reference, digits),
                          "reference": False})
        return {"key": key, "name": name, "kind": kind, "lines": lines}
