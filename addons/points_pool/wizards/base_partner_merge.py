from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..fields import loose_references


class MergePartnerAutomatic(models.TransientModel):
    """Merging contacts re-points the suite's references that have no foreign key.

    Odoo's wizard follows real foreign keys only; the ledger, the pool's requests and other rows
    callers insert under load name members through ``LooseMany2one`` columns.
    """

    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        self._check_points_wallets(src_partners | dst_partner)
        super()._update_foreign_keys(src_partners, dst_partner)
        for table, column in loose_references(self.env, "res.partner"):
            self.env.cr.execute(SQL("UPDATE %s SET %s = %s WHERE %s = ANY(%s)",
                                    SQL.identifier(table), SQL.identifier(column), dst_partner.id,
                                    SQL.identifier(column), src_partners.ids))

    def _check_points_wallets(self, partners):
        """Two wallets of one pool cannot become one: their cycles, spends and ledgers are separate."""
        wallets = self.env["points.wallet"].sudo().search([("partner_id", "in", partners.ids)])
        pools = wallets.pool_id
        for pool in pools:
            holders = wallets.filtered(lambda wallet: wallet.pool_id == pool).partner_id
            if len(holders) > 1:
                raise UserError(_("%(partners)s each have a points wallet in %(pool)s: contacts with their own "
                                  "wallets in one pool cannot be merged.",
                                  partners=", ".join(holders.mapped("display_name")), pool=pool.display_name))
