"""18.0.1.2.0: queued rebates are refundable amounts like rewards (``points.reversible.mixin``).

Their new columns say what refunds took back so far: the cancelled and taken-back amounts, and the share of
the line refunded, which the line's rebate allocation keeps.
"""


def migrate(cr, version):
    cr.execute("""UPDATE points_rebate_entry
                     SET reversed_amount = COALESCE(cancelled_amount, 0) + COALESCE(clawed_back_amount, 0),
                         line_share = COALESCE(line_share, 1)
                   WHERE reversed_amount IS NULL OR line_share IS NULL""")
    cr.execute("""UPDATE points_rebate_entry entry
                     SET reversed_ratio = allocation.reversed_ratio
                    FROM points_allocation allocation
                   WHERE allocation.id = entry.allocation_id AND entry.reversed_ratio IS NULL""")
    cr.execute("UPDATE points_rebate_entry SET reversed_ratio = 0 WHERE reversed_ratio IS NULL")
