"""18.0.1.3.0: the ledger names members, wallets and requests without foreign keys (LooseMany2one).

Their key checks took two thirds of the time of the sequencer's bulk insert; Odoo does not drop a
constraint a field stops asking for.
"""

CONSTRAINTS = (
    "points_ledger_partner_id_fkey",
    "points_ledger_wallet_id_fkey",
    "points_ledger_request_id_fkey",
)


def migrate(cr, version):
    for name in CONSTRAINTS:
        cr.execute(f'ALTER TABLE points_ledger DROP CONSTRAINT IF EXISTS "{name}"')
