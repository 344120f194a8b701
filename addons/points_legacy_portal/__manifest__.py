{
    "name": "Points: Legacy Members on the Portal",
    "summary": "Legacy members see their consumption balance and what remains owed to them on their points page.",
    "version": "18.0.1.0.0",
    "category": "Sales/Loyalty",
    "license": "LGPL-3",
    "author": "Points Suite contributors",
    "website": "https://example.invalid/points-suite",
    "depends": ["points_legacy", "points_portal"],
    "data": [
        "views/portal_templates.xml",
    ],
    "auto_install": True,
    "installable": True,
}
