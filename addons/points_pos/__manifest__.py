{
    "name": "Points: Point of Sale",
    "summary": "POS orders earn appreciating points once per order, pay with points, reverse on refunds "
               "and record verified pickups at service points.",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "license": "LGPL-3",
    "author": "Points Suite contributors",
    "website": "https://example.invalid/points-suite",
    "depends": ["points_engine", "points_allocation", "point_of_sale"],
    "data": [
        "security/ir.model.access.csv",
        "wizards/points_pickup_wizard_views.xml",
        "views/pos_order_views.xml",
        "views/pos_payment_method_views.xml",
        "views/pos_config_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/points_pos_menus.xml",
    ],
    "demo": ["demo/points_pos_demo.xml"],
    "assets": {
        "point_of_sale._assets_pos": [
            "points_pos/static/src/**/*",
        ],
        "web.assets_tests": [
            "points_pos/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
