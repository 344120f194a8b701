import re

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

#: Longest account, holder, bank or branch a payee holds.
MAX_PAYEE_TEXT = 64
BANK_CARD_RE = re.compile(r"[0-9]{12,19}")


def mask_account(method, account):
    """The account as lists show it: the last four characters of a card or id, the domain of an e-mail."""
    account = (account or "").strip()
    if method != "bank_card" and "@" in account:
        return "***@" + account.rsplit("@", 1)[1]
    return "**** " + account[-4:]


class PointsPayee(models.Model):
    """Where a member's withdrawals are paid (收款方式): a bank card, an Alipay or a WeChat account.

    The member's own record, shown masked everywhere but on its form; a withdrawal request
    names the payee it is paid to.
    """

    _name = "points.payee"
    _description = "Withdrawal Payee"
    _order = "partner_id, sequence, id"
    _check_company_auto = True
    _rec_names_search = ["holder_name", "bank_name"]

    partner_id = fields.Many2one("res.partner", "Member", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    method = fields.Selection(
        [("bank_card", "Bank Card"), ("alipay", "Alipay"), ("wechat", "WeChat Pay")],
        required=True, default="bank_card")
    account = fields.Char("Account Number", required=True, help="Card number, Alipay account (phone or e-mail) or WeChat ID.")
    account_masked = fields.Char("Account", compute="_compute_account_masked")
    holder_name = fields.Char("Account Holder", required=True)
    bank_name = fields.Char("Bank", help="Bank of the card.")
    bank_branch = fields.Char("Branch", help="Branch (开户行) of the card.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    @api.depends("method", "account", "bank_name")
    def _compute_display_name(self):
        methods = dict(self._fields["method"]._description_selection(self.env))
        for payee in self:
            prefix = payee.bank_name if payee.method == "bank_card" and payee.bank_name else methods.get(payee.method)
            payee.display_name = f"{prefix} {mask_account(payee.method, payee.account)}"

    @api.depends("method", "account")
    def _compute_account_masked(self):
        for payee in self:
            payee.account_masked = mask_account(payee.method, payee.account)

    @api.constrains("method", "account", "holder_name", "bank_name", "bank_branch")
    def _check_details(self):
        for payee in self:
            for value in (payee.account, payee.holder_name, payee.bank_name, payee.bank_branch):
                if value and len(value) > MAX_PAYEE_TEXT:
                    raise ValidationError(_("Payee details have at most %s characters each.", MAX_PAYEE_TEXT))
            account = (payee.account or "").replace(" ", "")
            if payee.method == "bank_card":
                if not BANK_CARD_RE.fullmatch(account):
                    raise ValidationError(_("A bank card number has 12 to 19 digits."))
                if not payee.bank_name or not payee.bank_branch:
                    raise ValidationError(_("Name the bank and the branch of the card."))
            elif not account:
                raise ValidationError(_("Give the account to pay to."))

    @api.model
    def _add_for(self, partner, values, company=None):
        """A new payee of ``partner`` (members add their own only) from ``method``, ``account`` and the rest."""
        self.env["points.withdrawal"]._check_acting_for(partner)
        company = self.env["points.withdrawal"]._company_for_call(company)
        vals = {name: values.get(name) for name in ("method", "account", "holder_name", "bank_name", "bank_branch")}
        if vals.get("method") == "bank_card" and vals.get("account"):
            vals["account"] = vals["account"].replace(" ", "")
        return self.sudo().create(dict(vals, partner_id=partner.id, company_id=company.id)).with_env(self.env)

    def _remove(self):
        """The member removes their payee: archived, so that past requests still name it."""
        for payee in self:
            if not (self.env.su or self.env.user.has_group("points_pool.group_points_user")) \
                    and payee.partner_id != self.env.user.partner_id:
                raise AccessError(_("You may only remove your own payees."))
        self.check_access("read")
        self.sudo().active = False
        return True

    def _check_usable_by(self, partner, company):
        """Refuses a payee that is not ``partner``'s own, active, in ``company``."""
        self.ensure_one()
        payee = self.sudo()
        if payee.partner_id != partner or not payee.active or payee.company_id != company:
            raise ValidationError(_("Choose one of %s's own payees.", partner.display_name))
