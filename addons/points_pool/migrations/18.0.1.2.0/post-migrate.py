"""18.0.1.2.0: indexes the sequencer's bulk writes paid for and no query needs are dropped.

Odoo keeps an index whose field no longer asks for one; these were covered by a unique index leading
with the same column (ledger and request pool, wallet partner), by partial indexes (request state) or
had too few distinct values to be used (ledger event and source model).
"""

INDEXES = (
    "points_ledger__pool_id_index",
    "points_ledger__event_index",
    "points_ledger__source_model_index",
    "points_pool_request__pool_id_index",
    "points_pool_request__state_index",
    "points_wallet__partner_id_index",
)


def migrate(cr, version):
    for name in INDEXES:
        cr.execute(f'DROP INDEX IF EXISTS "{name}"')
