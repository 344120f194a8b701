"""18.0.1.1.0: agent levels are records (points.agent.level) instead of a fixed selection.

The selection columns are kept aside under another name (Odoo would otherwise keep them NOT NULL
and drop them before the post-migration could read them); the post-migration maps them to the
shipped levels and drops them.
"""

from odoo.tools import SQL

COLUMNS = (("points_agent", "level"), ("points_reward_rule_line", "agent_level"))


def migrate(cr, version):
    for table, column in COLUMNS:
        cr.execute(SQL("SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                       table, column))
        if cr.rowcount:
            cr.execute(SQL("ALTER TABLE %s RENAME COLUMN %s TO %s", SQL.identifier(table), SQL.identifier(column),
                           SQL.identifier(f"{column}_selection_old")))
            cr.execute(SQL("ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL", SQL.identifier(table),
                           SQL.identifier(f"{column}_selection_old")))
