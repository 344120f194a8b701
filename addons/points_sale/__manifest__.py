{
    "name": "Points: Sales",
    "summary": "Sales orders earn appreciating points when paid, credit notes reverse them, invoices accept points.",
    "version": "18.0.1.0.0",
    "category": "Sales/Loyalty",
    "license": "LGPL-3",
    "author": "Points Suite contributors",
    "website": "https://example.invalid/points-suite",
    "depends": ["points_engine", "points_allocation", "sale_management"],
    "data": [
        "security/ir.model.access.csv",
        "wizards/points_invoice_redeem_wizard_views.xml",
        "views/sale_order_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "report/sale_order_report.xml",
    ],
    "installable": True,
}
