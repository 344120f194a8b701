{
    "name": "Points: Reports",
    "summary": "Pool reconciliation against the ledger and the general ledger, and member statements for a "
               "period, for operators.",
    "version": "18.0.1.0.0",
    "category": "Sales/Loyalty",
    "license": "LGPL-3",
    "author": "Points Suite contributors",
    "website": "https://example.invalid/points-suite",
    "depends": ["points_pool"],
    "data": [
        "security/ir.model.access.csv",
        "report/points_pool_reconciliation_report.xml",
        "report/points_member_statement_report.xml",
        "wizards/points_statement_wizard_views.xml",
        "views/points_pool_views.xml",
        "views/points_wallet_views.xml",
        "views/points_report_menus.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "installable": True,
}
