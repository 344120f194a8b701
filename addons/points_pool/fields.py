"""Field types of the points suite."""

from odoo import fields


class LooseMany2one(fields.Many2one):
    """A Many2one without a foreign-key constraint, for rows callers insert under load.

    Under REPEATABLE READ, inserting a row whose foreign key points at a row that another
    transaction changed and committed since this one began fails with a serialization
    error (the key check locks the referenced row). Requests name wallets and members that
    the pool's sequencer rewrites all the time, so their references are checked by the
    code that creates them instead; the referenced rows are never deleted
    (``ondelete="restrict"`` on the ledger, which keeps real foreign keys).
    """

    def update_db_foreign_key(self, model, column):
        return
