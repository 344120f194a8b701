from datetime import datetime, time

from odoo import api, fields, models


class PointsRewardStatement(models.AbstractModel):
    """A member's reward statement: what was earned in a period, by rule, and where each reward stands.

    The figures are computed here; the template only prints them.
    """

    _name = "report.points_reward.report_reward_statement"
    _description = "Reward Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        company = self.env["res.company"].browse(data.get("company_id")) or self.env.company
        date_to = fields.Date.to_date(data.get("date_to")) or fields.Date.context_today(self)
        date_from = fields.Date.to_date(data.get("date_from")) or date_to.replace(day=1)
        partners = self.env["res.partner"].browse(docids)
        return {
            "doc_ids": docids, "doc_model": "res.partner", "docs": partners, "company": company,
            "date_from": date_from, "date_to": date_to, "currency": company.currency_id,
            "payout_mode": data.get("payout_mode") or "all",
            "statements": {partner.id: self._statement(partner, company, date_from, date_to,
                                                       payout_mode=data.get("payout_mode") or "all")
                           for partner in partners},
        }

    @api.model
    def _statement(self, partner, company, date_from, date_to, payout_mode="all"):
        Reward = self.env["points.reward"]
        start, end = datetime.combine(date_from, time.min), datetime.combine(date_to, time.max)
        domain = [("partner_id", "=", partner.id), ("company_id", "=", company.id)]
        if payout_mode != "all":
            domain.append(("payout_mode", "=", payout_mode))
        rewards = Reward.search(domain + [("date", ">=", start), ("date", "<=", end)], order="date, id")
        by_rule = {}
        for reward in rewards:
            row = by_rule.setdefault(reward.rule_id, {"rule": reward.rule_id.name, "count": 0, "amount": 0.0,
                                                      "reversed": 0.0, "net": 0.0})
            row["count"] += 1
            row["amount"] += reward.amount
            row["reversed"] += reward.reversed_amount
            row["net"] += reward.net_amount
        wallet = self.env["points.wallet"].sudo()._get_for_partner(partner, company, create=False)
        released = Reward.search(domain + [("released_at", ">=", start), ("released_at", "<=", end)])
        return {
            "lines": [{"date": reward.date, "rule": reward.rule_id.name, "kind": reward.rule_type,
                       "level": reward.level, "buyer": reward.buyer_id.display_name or "",
                       "source": reward.source_ref.display_name if reward.source_ref else "",
                       "amount": reward.amount, "reversed": reward.reversed_amount,
                       "state": dict(reward._fields["state"]._description_selection(self.env))[reward.state]}
                      for reward in rewards],
            "by_rule": list(by_rule.values()),
            "earned": sum(rewards.mapped("amount")),
            "reversed": sum(rewards.mapped("reversed_amount")),
            "net": sum(rewards.mapped("net_amount")),
            "released": sum(released.mapped("net_amount")),
            # Paid outside the platform (线下统计发放): recorded here for the operator to pay, never in a wallet.
            "outside": sum(rewards.filtered(lambda r: r.payout_mode == "outside").mapped("net_amount")),
            "frozen_now": wallet.frozen_balance if wallet else 0.0,
            "cash_now": wallet.cash_balance if wallet else 0.0,
        }
