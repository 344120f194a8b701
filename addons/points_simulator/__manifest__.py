{
    "name": "Points: Simulator and Dashboard",
    "summary": "Economy simulator running the pool engine on demand scenarios, plus the pool's dashboard and "
               "day-by-day reports for operators.",
    "version": "18.0.1.1.0",
    "category": "Sales/Loyalty",
    "license": "LGPL-3",
    "author": "Points Suite contributors",
    "website": "https://example.invalid/points-suite",
    "depends": ["points_engine", "points_pool", "points_report"],
    "data": [
        "security/ir.model.access.csv",
        "security/points_simulator_security.xml",
        "views/points_simulation_views.xml",
        "views/points_simulation_result_views.xml",
        "views/points_pool_day_views.xml",
        "views/points_dashboard_views.xml",
        "views/points_pool_views.xml",
        "views/points_simulator_menus.xml",
    ],
    "demo": ["demo/points_simulator_demo.xml"],
    "assets": {
        "web.assets_backend": ["points_simulator/static/src/dashboard/*"],
        "web.assets_tests": ["points_simulator/static/tests/tours/*.js"],
    },
    "installable": True,
}
