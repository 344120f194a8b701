"""18.0.1.1.0: the rebate pool's balance moves to the pool's balance row (points.pool.state), which the pool's
sequencer writes; queue entries no longer hold a foreign key to the wallets it rewrites."""


from odoo.tools.sql import column_exists


def migrate(cr, version):
    if column_exists(cr, "points_pool", "rebate_balance"):
        cr.execute("""UPDATE points_pool_state state SET rebate_balance = pool.rebate_balance
                        FROM points_pool pool
                       WHERE pool.id = state.pool_id AND COALESCE(state.rebate_balance, 0) = 0""")
    cr.execute("ALTER TABLE points_rebate_entry DROP CONSTRAINT IF EXISTS points_rebate_entry_wallet_id_fkey")
