{
    "name": "Points: Rewards at the Point of Sale",
    "summary": "POS orders pay the rewards: merchant recruitment on a store's POS turnover, the service point's fee "
               "on a verified pickup.",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "license": "LGPL-3",
    "author": "Points Suite contributors",
    "website": "https://example.invalid/points-suite",
    "depends": ["points_pos", "points_reward"],
    "data": [],
    "auto_install": True,
    "installable": True,
}
