from contextlib import contextmanager
from unittest.mock import patch

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.points_pool.tests.common import PointsCase


class WalletServiceCase(PointsCase):
    """PointsCase plus a bank journal paying withdrawals, a Points Manager and members with cash."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank_journal = cls.bank_journal_for(cls.company)
        cls.manager = new_test_user(
            cls.env, "wd_manager", groups="base.group_user,points_pool.group_points_manager",
            company_id=cls.company.id, company_ids=[cls.company.id])
        cls.pool.write({"withdrawal_fee_rate": 0.02, "withdrawal_approver_id": cls.manager.id})
        # SPEC §3.4: four orders of 1000.00 contributing 300.00 each, one per member.
        for member in cls.members:
            cls.pool.contribute(member, 1000, 300)
        # SPEC §3.4: member 1 sells 100 points for 161.50 of cash balance.
        cls.pool.sell(cls.member1, 100)

    @staticmethod
    def bank_journal_for(company):
        """A bank journal whose outgoing payments go through an outstanding-payments account."""
        env = company.env
        outstanding = env["account.account"].create({
            "name": "Outstanding Payments", "code": "101299", "account_type": "asset_current", "reconcile": True,
            "company_ids": [Command.set(company.ids)]})
        journal = env["account.journal"].create(
            {"name": "Member Payouts", "code": "WDBK", "type": "bank", "company_id": company.id})
        journal.outbound_payment_method_line_ids.payment_account_id = outstanding
        return journal

    def request(self, partner, amount, **kwargs):
        return self.env["points.withdrawal"]._request(partner, amount, company=self.company, **kwargs)

    def transfer(self, sender, recipient, **kwargs):
        return self.env["points.transfer"]._transfer(sender, recipient, company=self.company, **kwargs)

    @contextmanager
    def busy_pool(self):
        """As if another transaction held the pool: requests stay pending until ``pool._apply_pending()``."""
        with patch.object(type(self.env["points.pool"]), "_apply_now", lambda pool: False):
            yield

    def take_cash(self, partner, amount):
        """Another movement takes ``amount`` of the member's cash without reserving it (as a refund debt would)."""
        return self.pool._submit_movements([{
            "event": "withdrawal_fee", "wallet": self.wallet(partner), "amount": amount, "cash": -amount,
            "memo": "Cash taken meanwhile"}])

    def gl_wallet_balance(self, partner):
        """The member's balance on the wallet payable account (credit positive)."""
        return -self.pool._account_balance_by_partner(self.pool.wallet_account_id).get(partner.id, 0.0)

    def assertRefused(self, exception, regex, func, *args, **kwargs):
        """``func`` raises ``exception`` matching ``regex`` and changes nothing."""
        before = self.snapshot()
        reserved_before = self.reserved()
        with self.assertRaisesRegex(exception, regex):
            func(*args, **kwargs)
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.reserved(), reserved_before)

    def reserved(self):
        wallets = self.env["points.wallet"].search([("pool_id", "=", self.pool.id)])
        return sorted((wallet.id, wallet.reserved_balance) for wallet in wallets), \
            self.env["points.withdrawal"].search_count([]), self.env["points.transfer"].search_count([])
