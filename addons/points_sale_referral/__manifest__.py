{
    "name": "Points: Referral by Sales Order",
    "summary": "A sales order may name the customer's referrer; the first paid order binds the customer to them.",
    "version": "18.0.1.0.0",
    "category": "Sales/Loyalty",
    "license": "LGPL-3",
    "author": "Points Suite contributors",
    "website": "https://example.invalid/points-suite",
    "depends": ["points_sale", "points_referral"],
    "data": [
        "views/sale_order_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
