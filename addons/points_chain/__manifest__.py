{
    "name": "Points: Chain Reward 2+1",
    "summary": "Chain reward 2+1 (链动2+1): agents and bosses, teams, direct / see-point / peer rewards and the "
               "chain fund, paid from a plan bucket through the reward ledger.",
    "version": "18.0.1.2.0",
    "category": "Sales/Loyalty",
    "license": "LGPL-3",
    "author": "Points Suite contributors",
    "website": "https://example.invalid/points-suite",
    "depends": ["points_engine", "points_reward", "web_hierarchy"],
    "data": [
        "security/ir.model.access.csv",
        "security/points_chain_security.xml",
        "data/ir_cron_data.xml",
        "views/points_chain_program_views.xml",
        "views/points_chain_member_views.xml",
        "views/points_chain_team_views.xml",
        "views/res_partner_views.xml",
        "views/points_allocation_plan_views.xml",
        "views/points_chain_menus.xml",
        "views/points_chain_event_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["points_chain/static/src/tours/*.js"],
    },
    "installable": True,
}
