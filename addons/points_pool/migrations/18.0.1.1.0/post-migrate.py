"""18.0.1.1.0: the pool's balances move from the points_pool row to its balance row (points.pool.state)."""


def migrate(cr, version):
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_name = 'points_pool' AND column_name = 'circulating_points'""")
    if not cr.fetchone():
        return
    cr.execute("""INSERT INTO points_pool_state (pool_id, balance, circulating_points, last_price, applied_count,
                                                  create_uid, write_uid, create_date, write_date)
                  SELECT id, balance, circulating_points, COALESCE(NULLIF(last_price, 0), initial_price), 0,
                         1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                    FROM points_pool pool
                   WHERE NOT EXISTS (SELECT 1 FROM points_pool_state state WHERE state.pool_id = pool.id)""")
