"""18.0.1.4.0: rebate reversals name what they give back (``reversal_of_id``: the accelerated release row;
``reversal_of_allocation_id``: the line's rebate allocation whose feeding returns); refunds add up what was given
back through these links, no longer by the prefix of the rows' keys. Existing rows and pending requests get their
links from their keys."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    api.Environment(cr, SUPERUSER_ID, {})["points.ledger"]._link_rebate_reversals()
