from odoo.tools import SQL

#: Records points_simulator defined before the reports became a module of their own.
MOVED_XMLIDS = (
    "report_pool_reconciliation_document", "report_pool_reconciliation", "points_pool_reconciliation_report",
    "points_pool_reconciliation_report_html", "points_pool_action_reconciliation",
    "report_member_statement_document", "report_member_statement", "points_member_statement_report",
    "points_statement_wizard_view_form", "points_statement_wizard_action", "points_wallet_view_form",
    "points_reports_menu", "points_pool_reconciliation_menu", "points_statement_menu",
    "access_points_statement_wizard_user", "model_points_statement_wizard",
)


def pre_init_hook(env):
    """Takes over the report records of a database where points_simulator held them, before loading ours.

    The records keep their ids (bookmarks, menus, prints and translations stay), and the upgrade of
    points_simulator no longer finds them among its own records to delete. A fresh database has none.
    """
    env.cr.execute(SQL(
        """
        UPDATE ir_model_data SET module = 'points_report'
         WHERE module = 'points_simulator' AND (name IN %s OR name LIKE %s)
        """, MOVED_XMLIDS, "field\\_points\\_statement\\_wizard\\_\\_%"))
    # The wizard's table of chosen wallets: uninstalling points_simulator must not drop it.
    env.cr.execute(SQL(
        """
        UPDATE ir_model_relation SET module = (SELECT id FROM ir_module_module WHERE name = 'points_report')
         WHERE model IN (SELECT id FROM ir_model WHERE model = 'points.statement.wizard')
        """))
