{
    "name": "Points: Engine",
    "summary": "The suite's economics in pure Python (pool, cycles, sequencer, rebate, chain, legacy, simulator), "
               "imported by the points modules as odoo.addons.points_engine.",
    "version": "18.0.1.0.0",
    "category": "Technical",
    "license": "LGPL-3",
    "author": "Points Suite contributors",
    "website": "https://example.invalid/points-suite",
    "depends": [],
    "data": [],
    "installable": True,
}
