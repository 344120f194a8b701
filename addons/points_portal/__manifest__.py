{
    "name": "Points: Member Portal and API",
    "summary": "Members see their wallet, ledger, price, team, chain reward and rewards on the portal, sell points, "
               "withdraw and bind a referral code there or through a token-authenticated JSON API.",
    "version": "18.0.1.0.0",
    "category": "Sales/Loyalty",
    "license": "LGPL-3",
    "author": "Points Suite contributors",
    "website": "https://example.invalid/points-suite",
    "depends": ["points_engine", "portal", "points_reward", "points_withdrawal", "points_rebate", "points_chain"],
    "data": [
        "security/ir.model.access.csv",
        "security/points_portal_security.xml",
        "data/ir_cron_data.xml",
        "views/points_api_token_views.xml",
        "views/res_config_settings_views.xml",
        "views/points_portal_menus.xml",
        "views/portal_templates.xml",
    ],
    "demo": ["demo/points_portal_demo.xml"],
    "assets": {
        "web.assets_frontend": [
            "points_portal/static/src/js/points_portal.js",
            "points_portal/static/src/scss/points_portal.scss",
        ],
        "web.assets_tests": ["points_portal/static/src/tours/*.js"],
    },
    "installable": True,
}
