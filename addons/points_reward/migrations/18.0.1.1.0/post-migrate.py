"""18.0.1.1.0: agents and regional rates point at the shipped level records (see pre-migrate.py)."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

LEVELS = ("district", "city", "province", "region")
COLUMNS = (("points_agent", "level", "level_id"), ("points_reward_rule_line", "agent_level", "agent_level_id"))


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    level_ids = {code: env.ref(f"points_reward.agent_level_{code}").id for code in LEVELS}
    for table, column, target in COLUMNS:
        old = f"{column}_selection_old"
        cr.execute(SQL("SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                       table, old))
        if not cr.rowcount:
            continue
        for code, level_id in level_ids.items():
            cr.execute(SQL("UPDATE %s SET %s = %s WHERE %s = %s", SQL.identifier(table), SQL.identifier(target),
                           level_id, SQL.identifier(old), code))
        cr.execute(SQL("ALTER TABLE %s DROP COLUMN %s", SQL.identifier(table), SQL.identifier(old)))
    # The update could not make the new column required while it was empty.
    cr.execute("SELECT 1 FROM points_agent WHERE level_id IS NULL LIMIT 1")
    if not cr.rowcount:
        cr.execute("ALTER TABLE points_agent ALTER COLUMN level_id SET NOT NULL")
    env["points.agent"].invalidate_model()
    agents = env["points.agent"].with_context(active_test=False).search([])
    agents.modified(["level_id"])  # the stored level sequence follows
    agents.flush_recordset()
