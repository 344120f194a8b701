{
    "name": "Points: Sales Rewards with Delivery",
    "summary": "Rewards frozen until delivery start their return window when the sales order is fully delivered; "
               "delivering an order with a pickup point verifies the pickup.",
    "version": "18.0.1.0.0",
    "category": "Sales/Loyalty",
    "license": "LGPL-3",
    "author": "Points Suite contributors",
    "website": "https://example.invalid/points-suite",
    "depends": ["points_reward", "points_sale", "sale_stock"],
    "data": [
        "views/sale_order_views.xml",
    ],
    "installable": True,
    "auto_install": True,
}
