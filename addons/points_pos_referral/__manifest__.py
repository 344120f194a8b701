{
    "name": "Points: Referral at the Point of Sale",
    "summary": "The cashier scans a member's referral code or share link on a POS order; the first paid order binds "
               "the customer to that member.",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "license": "LGPL-3",
    "author": "Points Suite contributors",
    "website": "https://example.invalid/points-suite",
    "depends": ["points_pos", "points_referral"],
    "data": [
        "views/pos_order_views.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "points_pos_referral/static/src/**/*",
        ],
        "web.assets_tests": [
            "points_pos_referral/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
    "installable": True,
}
